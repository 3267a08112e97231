using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Rfm;

/// <summary>
/// The binary state of an accumulator (docs/state-format.md): written by <see cref="RfmAccumulator.Save"/>, read by
/// <see cref="RfmAccumulator.Load"/>. The bytes are canonical: customers in the ordinal order of their ids, order ids in
/// ordinal order, each customer's order keys sorted, zeros of money without a sign, so the same accumulated rows always
/// give the same bytes.
/// </summary>
internal static class StateFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>Magic, version, flags and total length.</summary>
    public const int HeaderLength = 20;

    /// <summary>The CRC-32C at the end.</summary>
    public const int ChecksumLength = 4;

    private const ushort CutoffFlag = 1;
    private const ushort KeepsOrdersFlag = 2;
    private const int FingerprintLength = 8;
    private const byte NegativeBit = 0x80;
    private const int MaxScale = 28;

    // A canonical numeric order id has at most 18 digits.
    private const long NumericKeyLimit = 1_000_000_000_000_000_000;

    // Fewer bytes than any customer takes (id length and one byte, money's scale and mantissa, first, span, lines, rows
    // without order, orders: 9 at least): it only bounds the count a state declares by the bytes left.
    private const int MinCustomerBytes = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The 8 bytes every state begins with.</summary>
    public static ReadOnlySpan<byte> Magic => "RFMSTATE"u8;

    /// <summary>
    /// The canonical text of a policy, whose hash is its fingerprint: the two switches, then the cancellation rule
    /// (<c>none</c>, <c>starts-with:</c>text, <c>contains:</c>text or <c>custom:</c>description), last, so that its text
    /// may hold any character.
    /// </summary>
    public static string PolicyText(TransactionPolicy policy)
    {
        var rule = policy.Cancellations;
        var cancellations = rule.IsCustom ? $"custom:{rule.Description}"
            : rule.Text is not { } text ? "none"
            : rule.IsPrefix ? $"starts-with:{text}"
            : $"contains:{text}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"exclude-non-positive={(policy.ExcludeNonPositive ? "true" : "false")};drop-non-positive-customers={(policy.DropNonPositiveCustomers ? "true" : "false")};cancellations={cancellations}");
    }

    /// <summary>The first 8 bytes of the SHA-256 of the policy's canonical text in UTF-8.</summary>
    public static ulong Fingerprint(string policyText)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(policyText), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>CRC-32C (Castagnoli), as iSCSI and ext4 use it: initial value and final XOR all ones.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Writes the state; nothing reaches the stream unless the whole state could be encoded.</summary>
    public static void Save(RfmAccumulator accumulator, Stream destination)
    {
        if (accumulator.KeepsOrders)
        {
            throw new InvalidOperationException(
                "An accumulator that keeps orders cannot be saved: the state format holds no order ledger. Save an accumulator created without keepOrders.");
        }

        // Room for a typical state at once: about 40 bytes a customer and 3 an order.
        var expected = HeaderLength + 4096 + (40L * accumulator.CustomerCount) + (3L * accumulator.Orders.PairCount);
        var writer = new StateWriter((int)Math.Min(expected, Array.MaxLength));
        writer.Bytes(Magic);
        writer.Fixed16(Version);
        writer.Fixed16(accumulator.Cutoff is null ? (ushort)0 : CutoffFlag);
        writer.Fixed64(0); // the total length, filled in at the end
        if (accumulator.Cutoff is { } cutoff)
        {
            writer.Fixed64((ulong)cutoff.Ticks);
            writer.Byte((byte)cutoff.Kind);
        }

        var policyText = PolicyText(accumulator.Policy);
        writer.Fixed64(Fingerprint(policyText));
        writer.Text(policyText);

        var account = accumulator.Account;
        writer.VarUInt((ulong)account.RowsRead);
        writer.Decimal(account.AmountRead);
        writer.VarUInt((ulong)account.ExcludedRows.Length);
        for (var reason = 0; reason < account.ExcludedRows.Length; reason++)
        {
            writer.VarUInt((ulong)account.ExcludedRows[reason]);
            writer.Decimal(account.ExcludedAmount[reason]);
        }

        WriteCustomers(accumulator, writer);

        var length = writer.Length + ChecksumLength;
        writer.PatchFixed64(HeaderLength - sizeof(ulong), (ulong)length);
        writer.Fixed32(Crc32C(writer.Written));
        destination.Write(writer.Written);
    }

    // The order ids that are not numbers, then the customers with their order keys, all in canonical order.
    private static void WriteCustomers(RfmAccumulator accumulator, StateWriter writer)
    {
        var customers = accumulator.Customers;
        var orders = accumulator.Orders;
        var order = customers.OrdinalOrder();
        var position = new int[order.Length];
        var start = new int[order.Length + 1];
        for (var p = 0; p < order.Length; p++)
        {
            position[order[p]] = p;
            start[p + 1] = checked(start[p] + customers[order[p]].DistinctOrders);
        }

        // Each customer's keys in its slice, by the customer's position; the order ids that are not numbers, marked when used.
        var keys = new long[start[^1]];
        var fill = (int[])start.Clone();
        var named = new bool[orders.NameCount];
        orders.ForEachPair((customer, key) =>
        {
            var p = position[customer];
            if (fill[p] == start[p + 1])
            {
                throw new InvalidOperationException($"Customer '{customers.IdAt(customer)}' has more order pairs than distinct orders counted.");
            }

            keys[fill[p]++] = key;
            if (key < 0)
            {
                named[-key - 1] = true;
            }
        });

        // The order ids written are those some customer has, in ordinal order; key -(i + 1) is the i-th.
        var serials = Enumerable.Range(0, named.Length).Where(serial => named[serial]).ToArray();
        var names = serials.Select(serial => orders.NameOf(-serial - 1)).ToArray();
        Array.Sort(names, serials, StringComparer.Ordinal);
        var rank = new long[named.Length];
        for (var i = 0; i < serials.Length; i++)
        {
            rank[serials[i]] = -i - 1;
        }

        writer.VarUInt((ulong)names.Length);
        foreach (var name in names)
        {
            writer.Text(name, "order id");
        }

        writer.VarUInt((ulong)keys.Length);
        writer.VarUInt((ulong)order.Length);
        for (var p = 0; p < order.Length; p++)
        {
            var index = order[p];
            ref readonly var state = ref customers[index];
            var slice = keys.AsSpan(start[p], start[p + 1] - start[p]);
            if (fill[p] != start[p + 1])
            {
                throw new InvalidOperationException($"Customer '{customers.IdAt(index)}' has fewer order pairs than distinct orders counted.");
            }

            foreach (ref var key in slice)
            {
                key = key < 0 ? rank[-key - 1] : key;
            }

            slice.Sort();
            writer.Text(customers.IdAt(index), "customer id");
            writer.Decimal(state.Monetary);
            writer.VarUInt((ulong)state.First);
            writer.VarUInt((ulong)(state.Last - state.First));
            writer.VarUInt((ulong)state.Lines);
            writer.VarUInt((ulong)state.RowsWithoutOrder);
            writer.VarUInt((ulong)slice.Length);
            var previous = 0L;
            for (var k = 0; k < slice.Length; k++)
            {
                if (k == 0)
                {
                    writer.VarInt(slice[0]);
                }
                else
                {
                    writer.VarUInt((ulong)(slice[k] - previous));
                }

                previous = slice[k];
            }
        }
    }

    /// <summary>Reads and checks a whole state, then builds the accumulator.</summary>
    public static RfmAccumulator Load(Stream source, TransactionPolicy policy)
    {
        var bytes = ReadWhole(source);
        var reader = new StateReader(bytes.AsSpan(HeaderLength, bytes.Length - HeaderLength - ChecksumLength));
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(10));
        if ((flags & ~(CutoffFlag | KeepsOrdersFlag)) != 0)
        {
            throw Corrupt($"unknown flags 0x{flags:X4}");
        }

        if ((flags & KeepsOrdersFlag) != 0)
        {
            throw Corrupt("it is marked as keeping orders, which version 1 never writes");
        }

        DateTime? cutoff = null;
        if ((flags & CutoffFlag) != 0)
        {
            var ticks = reader.Fixed64();
            var kind = reader.Byte();
            if (ticks > (ulong)DateTime.MaxValue.Ticks || kind > (byte)DateTimeKind.Local)
            {
                throw Corrupt("the cut-off is not a date");
            }

            cutoff = new DateTime((long)ticks, (DateTimeKind)kind);
        }

        var fingerprint = reader.Fixed64();
        var stateText = reader.Text("the policy");
        var ourText = PolicyText(policy);
        if (fingerprint != Fingerprint(stateText))
        {
            throw Corrupt("the policy's fingerprint does not match its text");
        }

        if (fingerprint != Fingerprint(ourText) || !string.Equals(stateText, ourText, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The state was made under another policy: the state's is '{stateText}', the one given is '{ourText}'. Load it with the policy it was made under.",
                nameof(policy));
        }

        var accumulator = new RfmAccumulator(cutoff, policy);
        ReadAccount(ref reader, accumulator.Account);
        ReadCustomers(ref reader, accumulator, cutoff?.Ticks ?? DateTime.MaxValue.Ticks);
        if (!reader.AtEnd)
        {
            throw Corrupt("bytes are left after the last customer");
        }

        return accumulator;
    }

    // Magic, version and length first, so that each of those problems is named as itself; then the checksum.
    private static byte[] ReadWhole(Stream source)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        var read = source.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        var magicRead = Math.Min(read, Magic.Length);
        if (!header[..magicRead].SequenceEqual(Magic[..magicRead]))
        {
            throw new InvalidDataException("This is not an accumulator state: it does not begin with the bytes 'RFMSTATE'.");
        }

        if (read < HeaderLength)
        {
            throw new InvalidDataException($"The state is truncated: it has {read} bytes, fewer than the {HeaderLength} of its header.");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version > Version)
        {
            throw new InvalidDataException(
                $"The state is of format version {version}, newer than this library reads (version {Version}): load it with a newer version of Rfm.Core.");
        }

        if (version == 0)
        {
            throw Corrupt("its format version is 0, which does not exist");
        }

        var declared = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        if (declared < HeaderLength + ChecksumLength)
        {
            throw Corrupt($"its length ({declared} bytes) is shorter than a header and a checksum");
        }

        if (declared > (ulong)Array.MaxLength)
        {
            throw Corrupt($"its length ({declared} bytes) is more than a state can have");
        }

        // Grown as bytes arrive, never to more than twice what was read: a wrong length cannot make the load allocate.
        // A stream that knows its length and holds the declared bytes gets one buffer of their size at once.
        var known = source.CanSeek && (ulong)Math.Max(0, source.Length - source.Position) + HeaderLength >= declared;
        var bytes = new byte[(int)(known ? declared : Math.Min(declared, 1 << 20))];
        header.CopyTo(bytes);
        var total = HeaderLength;
        while (true)
        {
            var got = source.Read(bytes, total, bytes.Length - total);
            total += got;
            if (total == (int)declared)
            {
                break;
            }

            if (got == 0)
            {
                throw new InvalidDataException($"The state is truncated: it has {total} bytes of the {declared} its header declares.");
            }

            if (total == bytes.Length)
            {
                Array.Resize(ref bytes, (int)Math.Min(declared, (ulong)bytes.Length * 2));
            }
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(total - ChecksumLength));
        var computed = Crc32C(bytes.AsSpan(0, total - ChecksumLength));
        if (stored != computed)
        {
            throw Corrupt($"its checksum does not match its contents (stored 0x{stored:X8}, computed 0x{computed:X8})");
        }

        return bytes;
    }

    private static void ReadAccount(ref StateReader reader, ExclusionAccount account)
    {
        var rowsRead = reader.Count("the rows read", long.MaxValue);
        var amountRead = reader.Decimal("the money read");
        var slots = reader.Count("the exclusion reasons", int.MaxValue);
        if (slots != IngestionSummary.ReasonSlots)
        {
            throw Corrupt($"it counts {slots} exclusion reasons, and version {Version} has {IngestionSummary.ReasonSlots}");
        }

        Span<long> rows = stackalloc long[IngestionSummary.ReasonSlots];
        var amounts = new decimal[IngestionSummary.ReasonSlots];
        var excluded = 0L;
        for (var reason = 0; reason < rows.Length; reason++)
        {
            rows[reason] = reader.Count("the rows excluded", long.MaxValue);
            amounts[reason] = reader.Decimal("the money excluded");

            // Slot 0 is no reason, and customers dropped for a non-positive total are counted when a snapshot is taken.
            if ((reason == 0 || reason == (int)ExclusionReason.NonPositiveCustomerTotal) && (rows[reason] != 0 || amounts[reason] != 0m))
            {
                throw Corrupt($"it counts rows excluded at reason {reason}, which an accumulator never holds");
            }

            excluded = rows[reason] > rowsRead - excluded ? throw Corrupt("more rows are excluded than were read") : excluded + rows[reason];
        }

        account.Restore(rowsRead, amountRead, rows, amounts);
    }

    private static void ReadCustomers(ref StateReader reader, RfmAccumulator accumulator, long cutoffTicks)
    {
        var orders = accumulator.Orders;
        var names = reader.Count("the order ids", reader.Remaining / 2);
        string? previous = null;
        for (var i = 0L; i < names; i++)
        {
            var name = reader.Text("an order id");
            if (RowContract.IsBlankId(name) || OrderKeys.TryCanonicalNumber(name.AsSpan(), out _) || (previous is not null && string.CompareOrdinal(previous, name) >= 0))
            {
                throw Corrupt($"order id '{name}' is blank, a number, or out of order");
            }

            _ = orders.KeyOf(name);
            previous = name;
        }

        var customers = accumulator.Customers;
        var totalPairs = reader.Count("the distinct orders", Math.Min(int.MaxValue, reader.Remaining));
        var count = (int)reader.Count("the customers", reader.Remaining / MinCustomerBytes);
        customers.EnsureCapacity(count);
        orders.EnsurePairCapacity((int)totalPairs);
        var account = accumulator.Account;
        var used = account.RowsRead;
        foreach (var rows in account.ExcludedRows)
        {
            used -= rows;
        }

        previous = null;
        var lines = 0L;
        var pairsRead = 0L;
        for (var p = 0; p < count; p++)
        {
            var id = reader.Text("a customer id");
            if (RowContract.IsBlankId(id) || (previous is not null && string.CompareOrdinal(previous, id) >= 0))
            {
                throw Corrupt($"customer id '{id}' is blank or out of order");
            }

            var monetary = reader.Decimal("a customer's money");
            var first = reader.Count("a first purchase", cutoffTicks);
            var last = first + reader.Count("a last purchase", cutoffTicks - first);
            var customerLines = reader.Count("a customer's lines", used - lines);
            var withoutOrder = reader.Count("a customer's rows without order", int.MaxValue);
            var pairs = reader.Count("a customer's orders", Math.Min(int.MaxValue, reader.Remaining));
            if (customerLines == 0 || customerLines - withoutOrder < pairs)
            {
                throw Corrupt($"customer '{id}' has fewer lines than orders");
            }

            var index = customers.IndexOf(id, first);
            ref var state = ref customers[index];
            state.Monetary = monetary;
            state.Last = last;
            state.Lines = customerLines;
            state.RowsWithoutOrder = (int)withoutOrder;
            state.DistinctOrders = (int)pairs;
            pairsRead += pairs;
            if (pairsRead > totalPairs)
            {
                throw Corrupt($"its customers have more distinct orders than the {totalPairs} it declares");
            }

            ReadOrderKeys(ref reader, orders, index, (int)pairs, names, id);
            lines += customerLines;
            previous = id;
        }

        if (pairsRead != totalPairs)
        {
            throw Corrupt($"its customers have {pairsRead} distinct orders, and it declares {totalPairs}");
        }

        if (lines != used)
        {
            throw Corrupt($"its customers have {lines} lines, and the account says {used} rows were used");
        }

        CheckMoneyReconciles(customers, account);
    }

    // The money read is the customers' and the excluded rows' together, exactly. A partial sum can overflow where the
    // rows' own order did not (amounts of both signs); the check is then left to the checksum.
    private static void CheckMoneyReconciles(CustomerTable customers, ExclusionAccount account)
    {
        var total = 0m;
        try
        {
            for (var i = 0; i < customers.Count; i++)
            {
                total = ExactDecimal.Sum(total, customers[i].Monetary);
            }

            foreach (var amount in account.ExcludedAmount)
            {
                total = ExactDecimal.Sum(total, amount);
            }
        }
        catch (OverflowException)
        {
            return;
        }

        if (total != account.AmountRead)
        {
            throw Corrupt($"its customers' money and the money excluded add up to {total}, and the account says {account.AmountRead} was read");
        }
    }

    private static void ReadOrderKeys(ref StateReader reader, OrderKeys orders, int customer, int count, long names, string id)
    {
        var key = 0L;
        for (var k = 0; k < count; k++)
        {
            if (k == 0)
            {
                key = reader.VarInt();
            }
            else
            {
                var delta = reader.VarUInt();
                key = delta == 0 || delta >= (ulong)(NumericKeyLimit - key) ? throw Corrupt($"the orders of customer '{id}' are not in order") : key + (long)delta;
            }

            if (key >= NumericKeyLimit || key < -names)
            {
                throw Corrupt($"customer '{id}' has an order key that stands for no order id");
            }

            if (!orders.AddPair(customer, key))
            {
                throw Corrupt($"customer '{id}' has an order twice");
            }
        }
    }

    private static InvalidDataException Corrupt(string what) => new($"The state is corrupt: {what}.");

    /// <summary>A growing buffer of little-endian fixed-width values, LEB128 varints and exact decimals.</summary>
    private sealed class StateWriter(int capacity)
    {
        private byte[] _buffer = new byte[capacity];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

        public void Byte(byte value) => Room(1)[0] = value;

        public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Room(value.Length));

        public void Fixed16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Room(2), value);

        public void Fixed32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Room(4), value);

        public void Fixed64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Room(8), value);

        public void PatchFixed64(int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(offset), value);

        public void VarUInt(ulong value)
        {
            var span = Room(10);
            var n = 0;
            while (value >= 0x80)
            {
                span[n++] = unchecked((byte)(value | 0x80));
                value >>= 7;
            }

            span[n++] = unchecked((byte)value);
            Length -= 10 - n;
        }

        /// <summary>Zigzag: 0, -1, 1, -2, ... become 0, 1, 2, 3, ...</summary>
        public void VarInt(long value) => VarUInt(unchecked((ulong)((value << 1) ^ (value >> 63))));

        /// <summary>A byte of scale and sign (a zero has none), then the 96-bit mantissa as a varint.</summary>
        public void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            var mantissa = unchecked(((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
            var negative = bits[3] < 0 && mantissa != UInt128.Zero;
            Byte((byte)(value.Scale | (negative ? NegativeBit : 0)));
            var span = Room(14);
            var n = 0;
            while (mantissa >= 0x80)
            {
                span[n++] = unchecked((byte)(mantissa | 0x80));
                mantissa >>= 7;
            }

            span[n++] = unchecked((byte)mantissa);
            Length -= 14 - n;
        }

        public void Text(string value, string what = "text")
        {
            int count;
            try
            {
                count = StrictUtf8.GetByteCount(value);
            }
            catch (EncoderFallbackException ex)
            {
                throw new InvalidOperationException(
                    $"The {what} '{value.Replace("\uFFFD", "?", StringComparison.Ordinal)}' is not valid UTF-16 (it has a lone surrogate), so it cannot be saved as UTF-8.", ex);
            }

            VarUInt((ulong)count);
            StrictUtf8.GetBytes(value, Room(count));
        }

        private Span<byte> Room(int count)
        {
            if (_buffer.Length - Length < count)
            {
                // One array holds the state, so its largest size is the largest array's.
                var needed = (long)Length + count;
                if (needed > Array.MaxLength)
                {
                    throw new InvalidOperationException(
                        $"The state would exceed {Array.MaxLength:N0} bytes, the most one state can hold: save the customers in several accumulators (by partition, say).");
                }

                Array.Resize(ref _buffer, (int)Math.Min(Math.Max(needed, _buffer.Length * 2L), Array.MaxLength));
            }

            var span = _buffer.AsSpan(Length, count);
            Length += count;
            return span;
        }
    }

    /// <summary>Reads what <see cref="StateWriter"/> writes; every read past the end, or value out of range, is corruption.</summary>
    private ref struct StateReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public readonly long Remaining => _data.Length - _position;

        public byte Byte() => Take(1)[0];

        public ulong Fixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public ulong VarUInt()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Take(1)[0];
                if (shift == 63 && b > 1)
                {
                    throw Corrupt("a number is too large");
                }

                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public long VarInt()
        {
            var zigzag = VarUInt();
            return unchecked((long)(zigzag >> 1) ^ -(long)(zigzag & 1));
        }

        /// <summary>A count or other whole number from 0 to <paramref name="max"/>.</summary>
        public long Count(string what, long max)
        {
            var value = VarUInt();
            return value > (ulong)Math.Max(max, 0) ? throw Corrupt($"{what} ({value}) is out of range") : (long)value;
        }

        public decimal Decimal(string what)
        {
            var head = Byte();
            var scale = head & ~NegativeBit;
            UInt128 mantissa = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Take(1)[0];
                if (shift == 91 && b > 0x1F)
                {
                    throw Corrupt($"{what} has more than 96 bits");
                }

                mantissa |= (UInt128)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            var negative = (head & NegativeBit) != 0;
            if (scale > MaxScale || (negative && mantissa == UInt128.Zero))
            {
                throw Corrupt($"{what} is not a decimal");
            }

            return unchecked(new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, (byte)scale));
        }

        public string Text(string what)
        {
            var length = Count("the length of a text", Remaining);
            try
            {
                return StrictUtf8.GetString(Take((int)length));
            }
            catch (DecoderFallbackException)
            {
                throw Corrupt($"{what} is not UTF-8");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_data.Length - _position < count)
            {
                throw Corrupt("a value runs past the end of the contents");
            }

            var span = _data.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
