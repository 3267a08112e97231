using System.Buffers.Binary;

namespace Rfm.Tests.Accumulation;

public sealed class AccumulatorStateTests
{
    private static readonly DateTime Night1 = new(2011, 12, 8, 10, 0, 0);
    private static readonly DateTime Night2 = new(2011, 12, 9, 9, 30, 0);

    [Fact]
    public void Load_InvoiceSplitAcrossTwoNights_CountsOnce_KeepsScaleAndAccount()
    {
        // Night 1 reads two lines of invoice 536365 and a cancellation; night 2 the invoice's last line and an excluded row.
        var night1 = new RfmAccumulator();
        night1.AddRange<Transaction>(
        [
            new("17850", "536365", Night1, 4454.100m),
            new("17850", "536365", Night1, 4457.804m),
            new("17850", "C536379", Night1, -27.50m),
        ]);
        var saved = Bytes(night1);

        var night2 = RfmAccumulator.Load(new MemoryStream(saved));
        night2.AddRange<Transaction>(
        [
            new("17850", "536365", Night1, 0.01m),
            new(null, "536366", Night2, 3.00m),
        ]);

        var customer = Assert.Single(night2.Snapshot(Night2.Date.AddDays(1)).Customers);
        Assert.Equal(1, customer.Frequency);
        Assert.Equal(3, customer.Lines);
        Assert.Equal("8911.914", customer.Monetary.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ingestion = night2.Snapshot(Night2.Date.AddDays(1)).Ingestion;
        Assert.Equal(5, ingestion.RowsRead);
        Assert.Equal("8887.414", ingestion.AmountRead.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, ingestion.Exclusions.Single(e => e.Reason == ExclusionReason.Cancellation).Rows);
        Assert.Equal(-27.50m, ingestion.Exclusions.Single(e => e.Reason == ExclusionReason.Cancellation).Amount);
        Assert.Equal(1, ingestion.Exclusions.Single(e => e.Reason == ExclusionReason.MissingCustomer).Rows);
    }

    [Fact]
    public void Load_ThenMerge_InvoiceInBothBatches_CountsOnce()
    {
        var first = new RfmAccumulator();
        first.Add(new Transaction("a", "INV-1", Night1, 1.5m));
        var second = new RfmAccumulator();
        second.Add(new Transaction("a", "INV-1", Night2, 2.25m));
        second.Add(new Transaction("a", "2", Night2, 1m));

        var merged = RfmAccumulator.Load(new MemoryStream(Bytes(first)));
        merged.Merge(RfmAccumulator.Load(new MemoryStream(Bytes(second))));

        var customer = Assert.Single(merged.Snapshot(Night2.AddDays(1)).Customers);
        Assert.Equal(2, customer.Frequency);
        Assert.Equal(4.75m, customer.Monetary);
        Assert.Equal(Night1, customer.FirstPurchase);
        Assert.Equal(Night2, customer.LastPurchase);
    }

    [Fact]
    public void Save_ZeroMoney_IsWrittenWithoutSign_WhicheverOrderMadeIt()
    {
        // -1.5 + 1.5 is a negative zero in .NET, 1.5 + -1.5 a positive one: the same money, so the same bytes.
        var policy = TransactionPolicy.Default with { ExcludeNonPositive = false };
        var one = new RfmAccumulator(policy: policy);
        one.AddRange<Transaction>([new("a", "1", Night1, -1.5m), new("a", "2", Night1, 1.5m), new("b", "3", Night1, -0.00m)]);
        var other = new RfmAccumulator(policy: policy);
        other.AddRange<Transaction>([new("b", "3", Night1, -0.00m), new("a", "2", Night1, 1.5m), new("a", "1", Night1, -1.5m)]);

        Assert.Equal(Bytes(one), Bytes(other));
        var loaded = RfmAccumulator.Load(new MemoryStream(Bytes(one)), policy);
        Assert.All(loaded.Snapshot(Night2).Customers, c => Assert.Equal("0.0", c.Monetary.ToString(System.Globalization.CultureInfo.InvariantCulture)[..3]));
    }

    [Fact]
    public void Load_KeepsCutoffAndItsKind()
    {
        var cutoff = new DateTime(2012, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var accumulator = new RfmAccumulator(cutoff);
        accumulator.Add(new Transaction("a", "1", Night1, 1m));
        accumulator.Add(new Transaction("a", "2", cutoff.AddDays(1), 1m));

        var loaded = RfmAccumulator.Load(new MemoryStream(Bytes(accumulator)));

        Assert.Equal(cutoff, loaded.Cutoff);
        Assert.Equal(DateTimeKind.Utc, loaded.Cutoff!.Value.Kind);
        Assert.Equal(1, loaded.Snapshot().Ingestion.Exclusions.Single(e => e.Reason == ExclusionReason.AfterAsOf).Rows);
        Assert.Throws<ArgumentException>(() => loaded.Merge(new RfmAccumulator()));
    }

    [Fact]
    public void Load_EmptyAccumulator_RoundTrips()
    {
        var bytes = Bytes(new RfmAccumulator());
        var loaded = RfmAccumulator.Load(new MemoryStream(bytes));

        Assert.Equal(0, loaded.CustomerCount);
        Assert.Equal(0, loaded.RowsRead);
        Assert.Equal(bytes, Bytes(loaded));
    }

    [Fact]
    public void Load_ReadsExactlyTheState_LeavingTheStreamAfterIt()
    {
        var one = new RfmAccumulator();
        one.Add(new Transaction("a", "1", Night1, 1m));
        var two = new RfmAccumulator();
        two.Add(new Transaction("b", "2", Night2, 2m));
        var stream = new MemoryStream([.. Bytes(one), .. Bytes(two)]);

        Assert.Equal("a", RfmAccumulator.Load(stream).Snapshot(Night2).Customers[0].CustomerId);
        Assert.Equal("b", RfmAccumulator.Load(stream).Snapshot(Night2).Customers[0].CustomerId);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Save_BeginsWithMagicVersionAndLength_EndsWithCrc32C()
    {
        var bytes = Bytes(SmallState());

        Assert.Equal("RFMSTATE"u8.ToArray(), bytes[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        Assert.Equal((ulong)bytes.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(StateFormat.Crc32C(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
    }

    [Fact]
    public void Crc32C_OfTheCheckString_IsTheStandardValue() =>
        Assert.Equal(0xE3069283u, StateFormat.Crc32C("123456789"u8));

    [Fact]
    public void Load_NotAState_SaysSo()
    {
        var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream("customer,order,date,amount\n"u8.ToArray())));
        Assert.Contains("not an accumulator state", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NewerVersion_NamesBothVersions()
    {
        var bytes = Bytes(SmallState());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 2);

        var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream(bytes)));
        Assert.Contains("format version 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(version 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherPolicy_NamesBoth()
    {
        var bytes = Bytes(SmallState());

        var ex = Assert.Throws<ArgumentException>(() => RfmAccumulator.Load(new MemoryStream(bytes), TransactionPolicy.Tutorial));
        Assert.Equal("policy", ex.ParamName);
        Assert.Contains("another policy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exclude-non-positive=true;drop-non-positive-customers=false;cancellations=starts-with:C", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exclude-non-positive=false;drop-non-positive-customers=false;cancellations=contains:C", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CustomRule_IsKnownByItsDescription()
    {
        var policy = TransactionPolicy.Default with { Cancellations = CancellationRule.Custom(o => o.EndsWith('X'), "ends with X") };
        var accumulator = new RfmAccumulator(policy: policy);
        accumulator.Add(new Transaction("a", "1X", Night1, 1m));
        var bytes = Bytes(accumulator);

        var same = TransactionPolicy.Default with { Cancellations = CancellationRule.Custom(o => o.EndsWith('X'), "ends with X") };
        Assert.Same(same, RfmAccumulator.Load(new MemoryStream(bytes), same).Policy);
        var other = TransactionPolicy.Default with { Cancellations = CancellationRule.Custom(o => o.EndsWith('X'), "ends with x") };
        var ex = Assert.Throws<ArgumentException>(() => RfmAccumulator.Load(new MemoryStream(bytes), other));
        Assert.Contains("custom:ends with X", ex.Message, StringComparison.Ordinal);
        Assert.Contains("custom:ends with x", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryTruncation_IsNamedAsTruncation()
    {
        var bytes = Bytes(SmallState());

        for (var length = 0; length < bytes.Length; length++)
        {
            var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream(bytes[..length])));
            Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_AnyFlippedByte_IsRefused()
    {
        var bytes = Bytes(SmallState());

        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[i] ^= flip;
                var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream(damaged)));
                Assert.Matches("not an accumulator state|newer than this library|truncated|corrupt", ex.Message);
            }
        }
    }

    [Fact]
    public void Load_FlippedContentByte_IsNamedAsCorrupt()
    {
        var bytes = Bytes(SmallState());
        bytes[^10] ^= 0x04;

        var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream(bytes)));
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, 0, "reason 0")]
    [InlineData(7, 1, 0, "reason 7")]
    [InlineData(-1, 0, 1, "add up to")]
    public void Load_AnAccountNoAccumulatorHolds_IsCorrupt(int reason, long extraRows, int extraMoney, string expected)
    {
        // Written by Save from a tampered account, so every byte but the account's meaning is as a state's.
        var accumulator = SmallState();
        var account = accumulator.Account;
        var rows = account.ExcludedRows.ToArray();
        var amounts = account.ExcludedAmount.ToArray();
        if (reason >= 0)
        {
            rows[reason] += extraRows;
            amounts[reason] += 1m;
        }

        account.Restore(account.RowsRead + extraRows, account.AmountRead + extraMoney + (reason >= 0 ? 1m : 0m), rows, amounts);

        var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream(Bytes(accumulator))));
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HostileContentWithAValidChecksum_IsRefusedOrRead_NeverCrashes()
    {
        // Past the checksum, every count and length is bounded by the bytes left: damage with the checksum made good
        // is refused as corrupt, or (where it is still a state) read.
        var bytes = Bytes(SmallState());
        var random = new Random(18);
        for (var round = 0; round < 5_000; round++)
        {
            var damaged = (byte[])bytes.Clone();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                damaged[random.Next(20, damaged.Length - 4)] = (byte)(random.Next(3) == 0 ? 0xFF : random.Next(256));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(damaged.Length - 4), StateFormat.Crc32C(damaged.AsSpan(0, damaged.Length - 4)));
            try
            {
                var loaded = RfmAccumulator.Load(new MemoryStream(damaged));
                try
                {
                    _ = loaded.Snapshot(DateTime.MaxValue);
                }
                catch (OverflowException)
                {
                    // Documented for Snapshot: money that no decimal holds, as a state can have it.
                }

                Assert.Equal(Bytes(loaded), Bytes(RfmAccumulator.Load(new MemoryStream(Bytes(loaded)))));
            }
            catch (InvalidDataException ex)
            {
                Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Load_HugeDeclaredLength_DoesNotAllocateIt()
    {
        var bytes = Bytes(SmallState());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(12), (ulong)Array.MaxLength);

        var ex = Assert.Throws<InvalidDataException>(() => RfmAccumulator.Load(new MemoryStream(bytes)));
        Assert.Contains($"{bytes.Length} bytes of the {Array.MaxLength}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_AccumulatorThatKeepsOrders_IsRefused()
    {
        var accumulator = new RfmAccumulator(keepOrders: true);
        var stream = new MemoryStream();

        var ex = Assert.Throws<InvalidOperationException>(() => accumulator.Save(stream));
        Assert.Contains("keeps orders", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Save_IdWithLoneSurrogate_IsRefusedBeforeWriting()
    {
        var accumulator = new RfmAccumulator();
        accumulator.Add(new Transaction("a\uD800", "1", Night1, 1m));
        var stream = new MemoryStream();

        var ex = Assert.Throws<InvalidOperationException>(() => accumulator.Save(stream));
        Assert.Contains("customer id", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Save_NonAsciiIds_RoundTrip()
    {
        var accumulator = new RfmAccumulator();
        accumulator.Add(new Transaction("Zoë", "Bestellung-ä", Night1, 1m));
        accumulator.Add(new Transaction("日本", "1", Night1, 1m));

        var loaded = RfmAccumulator.Load(new MemoryStream(Bytes(accumulator)));

        Assert.Equal(["Zoë", "日本"], loaded.Snapshot(Night2).Customers.Select(c => c.CustomerId));
        loaded.Add(new Transaction("Zoë", "Bestellung-ä", Night2, 1m));
        Assert.Equal(1, loaded.Snapshot(Night2).Customers[0].Frequency);
    }

    [Fact]
    public void Save_Load_ArgValidation()
    {
        var accumulator = new RfmAccumulator();
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => accumulator.Save(null!)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => RfmAccumulator.Load(null!)).ParamName);
        using var readOnly = new MemoryStream([], writable: false);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => accumulator.Save(readOnly)).ParamName);
        var closed = new MemoryStream();
        closed.Dispose();
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => RfmAccumulator.Load(closed)).ParamName);
    }

    [Fact]
    public void Save_BytesPerCustomer_StayWithinTheTarget()
    {
        // A realistic shape: numeric customer and invoice ids, four orders each, money with two decimals.
        var accumulator = new RfmAccumulator();
        var start = new DateTime(2010, 12, 1);
        for (var c = 0; c < 10_000; c++)
        {
            for (var o = 0; o < 4; o++)
            {
                accumulator.Add(new Transaction((12_000 + c).ToString(System.Globalization.CultureInfo.InvariantCulture), (536_000 + (c * 7) + o).ToString(System.Globalization.CultureInfo.InvariantCulture), start.AddMinutes((c * 37) + (o * 1_000)), 17.85m + o));
            }
        }

        var bytes = Bytes(accumulator).Length;
        Assert.True(bytes < (10_000 * 64) + (40_000 * 8), $"{bytes} bytes");
    }

    private static RfmAccumulator SmallState()
    {
        var accumulator = new RfmAccumulator(policy: TransactionPolicy.Default);
        accumulator.AddRange<Transaction>(
        [
            new("17850", "536365", Night1, 15.30m),
            new("17850", "536365", Night1, 20.34m),
            new("13047", "A-1", Night1, 54.08m),
            new("13047", null, Night2, 1.5m),
            new("13047", "C536379", Night2, -27.50m),
            new(" ", "536366", Night2, 3m),
        ]);
        return accumulator;
    }

    private static byte[] Bytes(RfmAccumulator accumulator) => AccumulatorStatePropertyTests.Bytes(accumulator);
}
