using System.Buffers.Binary;
using System.IO.Compression;

namespace Rfm.Cli.Input;

/// <summary>
/// Decompresses a gzip file and, at its end, checks the decompressed length against the size the file's trailer
/// records: <see cref="GZipStream"/> ends quietly on a truncated file, which would analyse part of the data as if
/// it were all of it.
/// </summary>
internal sealed class CheckedGzipStream(FileStream file) : Stream
{
    private readonly GZipStream _inner = new(file, CompressionMode.Decompress, leaveOpen: true);
    private long _length;
    private bool _checked;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        _length += read;
        if (read == 0 && buffer.Length > 0 && !_checked)
        {
            _checked = true;
            CheckTrailer();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // The last four bytes hold the uncompressed size modulo 2^32 (of the last member, which for the usual
    // single-member file is the whole).
    private void CheckTrailer()
    {
        Span<byte> trailer = stackalloc byte[4];
        var position = file.Position;
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Position = position;
        var recorded = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (recorded != unchecked((uint)_length))
        {
            throw new GzipSizeMismatchException(
                $"the compressed data ends early or is damaged: it decompressed to {_length:N0} bytes, but the file records {recorded:N0} "
                + "(check it with gzip -t; a file of several gzip parts joined together also fails this check: recompress it as one)");
        }
    }
}

/// <summary>The decompressed size differs from the size the gzip trailer records.</summary>
internal sealed class GzipSizeMismatchException(string message) : IOException(message);
