using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Rfm.Cli.Input;

/// <summary>
/// Decompresses gzip data from any stream (a file, a pipe, standard input), member by member, and checks each
/// member's trailer: the CRC-32 and the length of what it decompressed to. <see cref="GZipStream"/> ends quietly
/// where the data stops early, which would analyse part of the data as if it were all of it, and calls a trailer
/// that does not match "an unsupported compression method".
/// </summary>
/// <remarks>
/// Each member's header is read here and its deflate data is inflated by <see cref="DeflateStream"/>, which reads
/// ahead and does not tell where the deflate data ended. The trailer is found in the last two chunks it was handed:
/// the first place where the eight bytes match the CRC-32 and length worked out here (two in 2^64 for a chance
/// match). So what was decompressed is always checked, but stray bytes between the deflate data and a matching
/// trailer, within those chunks, go unnoticed.
/// </remarks>
internal sealed class CheckedGzipStream : ForwardOnlyStream
{
    private const int Id1 = 0x1F, Id2 = 0x8B, Deflate = 8, TrailerLength = 8;
    private const int FlagHeaderCrc = 0x02, FlagExtra = 0x04, FlagName = 0x08, FlagComment = 0x10, FlagsReserved = 0xE0;

    private readonly CompressedInput _input;
    private readonly Crc32 _crc = new();
    private DeflateStream? _member;
    private long _memberLength;
    private int _members;
    private bool _ended;

    public CheckedGzipStream(Stream compressed, bool leaveOpen = false) => _input = new CompressedInput(compressed, leaveOpen);

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_ended)
        {
            if (_member is null && !StartMember())
            {
                _ended = true;
                break;
            }

            int read;
            try
            {
                read = _member!.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw new GzipDataException($"the gzip data is damaged: part {_members} is not valid compressed data (check it with gzip -t)", ex);
            }

            if (read > 0)
            {
                _crc.Append(buffer[..read]);
                _memberLength += read;
                return read;
            }

            EndMember();
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _member?.Dispose();
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    // Reads a member's header; false at the end of the data (after at least one member).
    private bool StartMember()
    {
        if (!_input.Ensure(1))
        {
            return _members == 0 ? throw Truncated("it is empty") : false;
        }

        if (!_input.Ensure(2) || _input.Peek(0) != Id1 || _input.Peek(1) != Id2)
        {
            throw _members == 0
                ? new GzipDataException("the data is not gzip-compressed")
                : new GzipDataException($"the gzip data is followed by {_input.Describe()} that are not gzip (part {_members + 1} would start with 1f 8b)");
        }

        _members++;
        var header = new Crc32();
        var fixedPart = _input.Take(10, header, this);
        if (fixedPart[2] != Deflate)
        {
            throw new GzipDataException($"part {_members} of the gzip data uses compression method {fixedPart[2]}, not deflate (8)");
        }

        var flags = fixedPart[3];
        if ((flags & FlagsReserved) != 0)
        {
            throw new GzipDataException($"part {_members} of the gzip data has a damaged header (reserved flags 0x{flags:x2} set)");
        }

        if ((flags & FlagExtra) != 0)
        {
            _input.Skip(BinaryPrimitives.ReadUInt16LittleEndian(_input.Take(2, header, this)), header, this);
        }

        if ((flags & FlagName) != 0)
        {
            _input.SkipPastZero(header, this);
        }

        if ((flags & FlagComment) != 0)
        {
            _input.SkipPastZero(header, this);
        }

        if ((flags & FlagHeaderCrc) != 0)
        {
            var expected = unchecked((ushort)header.GetCurrentHashAsUInt32());
            if (BinaryPrimitives.ReadUInt16LittleEndian(_input.Take(2, null, this)) != expected)
            {
                throw new GzipDataException($"part {_members} of the gzip data has a damaged header (its CRC does not match)");
            }
        }

        _crc.Reset();
        _memberLength = 0;
        _input.Release();
        _member = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
        return true;
    }

    // The member's deflate data has ended (or the input ran out): find its trailer and check it.
    private void EndMember()
    {
        _member!.Dispose();
        _member = null;
        var crc = _crc.GetCurrentHashAsUInt32();
        var length = unchecked((uint)_memberLength);
        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], length);
        if (_input.FindTrailer(trailer))
        {
            return;
        }

        if (_input.RanOutInDeflate)
        {
            throw Truncated($"part {_members} stops before the end of its compressed data");
        }

        throw _input.Holds(trailer[..4], 0, out _) ? Damaged($"the length it records is not the {_memberLength:N0} bytes part {_members} decompressed to")
            : _input.Holds(trailer[4..], 4, out _) ? Damaged($"the CRC-32 it records does not match the {_memberLength:N0} bytes part {_members} decompressed to")
            : Truncated($"the trailer of part {_members} (its CRC-32 and length) is missing or damaged");
    }

    private static GzipDataException Truncated(string detail) =>
        new($"the gzip data ends early or is damaged: {detail} (check it with gzip -t)");

    private static GzipDataException Damaged(string detail) =>
        new($"the gzip data is damaged: its trailer does not match: {detail} (check it with gzip -t)");

    /// <summary>
    /// The compressed bytes, buffered so that the member's header can be read byte by byte and the bytes last handed
    /// to <see cref="DeflateStream"/> are still at hand when its data ends.
    /// </summary>
    private sealed class CompressedInput(Stream source, bool leaveOpen) : ForwardOnlyStream
    {
        // Small, so that the bytes the trailer is looked for in are few: a match can only start in the last two.
        private const int Chunk = 1024;

        // Room for the last two chunks handed to the inflater and a full read after them.
        private readonly byte[] _buffer = new byte[4 * Chunk];
        private int _position, _end, _previousFrom, _lastFrom;
        private long _discarded;
        private bool _sourceEnded;

        /// <summary>Whether the inflater asked for more when there was none: its data stops early.</summary>
        public bool RanOutInDeflate { get; private set; }

        public byte Peek(int offset) => _buffer[_position + offset];

        /// <summary>Marks where the inflater starts (or where the bytes still needed start).</summary>
        public void Release()
        {
            _previousFrom = _lastFrom = _position;
            RanOutInDeflate = false;
        }

        // Only the inflater reads this way.
        public override int Read(Span<byte> buffer)
        {
            if (!Ensure(1))
            {
                RanOutInDeflate = true;
                return 0;
            }

            // The chunk before this one stays at hand too: the inflater may not have needed all of it.
            _previousFrom = _lastFrom;
            _lastFrom = _position;
            var count = Math.Min(Math.Min(buffer.Length, Chunk), _end - _position);
            _buffer.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        /// <summary>Whether at least <paramref name="count"/> bytes are buffered from the position on, reading more as needed.</summary>
        public bool Ensure(int count)
        {
            while (_end - _position < count && !_sourceEnded)
            {
                if (_end == _buffer.Length)
                {
                    Compact();
                }

                // What is kept is at most two chunks before the position and a count of at most a chunk after it.
                System.Diagnostics.Debug.Assert(_end < _buffer.Length, "the buffer has room to read into");

                var read = source.Read(_buffer, _end, _buffer.Length - _end);
                _sourceEnded = read == 0;
                _end += read;
            }

            return _end - _position >= count;
        }

        /// <summary>The next <paramref name="count"/> header bytes (at most a chunk), added to the header's CRC.</summary>
        public ReadOnlySpan<byte> Take(int count, Crc32? header, CheckedGzipStream owner)
        {
            if (!Ensure(count))
            {
                throw Truncated($"part {owner._members} stops within its header");
            }

            var taken = _buffer.AsSpan(_position, count);
            header?.Append(taken);
            _position += count;
            Release();
            return taken;
        }

        public void Skip(int count, Crc32 header, CheckedGzipStream owner)
        {
            while (count > 0)
            {
                var step = Math.Min(count, Chunk);
                Take(step, header, owner);
                count -= step;
            }
        }

        // A zero-terminated name or comment, of any length.
        public void SkipPastZero(Crc32 header, CheckedGzipStream owner)
        {
            while (true)
            {
                if (!Ensure(1))
                {
                    throw Truncated($"part {owner._members} stops within its header");
                }

                var available = _buffer.AsSpan(_position, _end - _position);
                var zero = available.IndexOf((byte)0);
                Take(zero < 0 ? available.Length : zero + 1, header, owner);
                if (zero >= 0)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Moves past the first place, from the bytes last handed to the inflater on, where <paramref name="trailer"/>
        /// is; false if it is nowhere there.
        /// </summary>
        public bool FindTrailer(ReadOnlySpan<byte> trailer)
        {
            Ensure(TrailerLength);
            if (!Holds(trailer, 0, out var at))
            {
                return false;
            }

            _position = at + trailer.Length;
            Release();
            return true;
        }

        /// <summary>Whether part of a trailer (its CRC-32, or its length at offset 4) is where a whole trailer could be.</summary>
        public bool Holds(ReadOnlySpan<byte> part, int offset, out int start)
        {
            var from = _previousFrom + offset;
            var at = from > _end ? -1 : _buffer.AsSpan(from, _end - from).IndexOf(part);
            start = _previousFrom + at;
            return at >= 0 && start <= _position && start + TrailerLength <= _end;
        }

        /// <summary>What follows the position, for a message: "n bytes at offset m", reading up to a chunk of it.</summary>
        public string Describe()
        {
            Ensure(Chunk);
            var count = _end - _position;
            return $"{count:N0}{(_sourceEnded ? string.Empty : " or more")} bytes at offset {_discarded + _position:N0}";
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                source.Dispose();
            }

            base.Dispose(disposing);
        }

        // Drops what lies before the bytes still needed: those from the chunks last handed to the inflater on.
        private void Compact()
        {
            var keep = Math.Min(_previousFrom, _position);
            _buffer.AsSpan(keep, _end - keep).CopyTo(_buffer);
            _discarded += keep;
            _position -= keep;
            _previousFrom -= keep;
            _lastFrom -= keep;
            _end -= keep;
        }
    }
}

/// <summary>Gzip data that stops early, is damaged, or is not gzip at all.</summary>
internal sealed class GzipDataException(string message, Exception? inner = null) : IOException(message, inner);
