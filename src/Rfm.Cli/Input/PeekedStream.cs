namespace Rfm.Cli.Input;

/// <summary>
/// A stream that cannot seek (standard input, a named pipe, a process substitution) with its first bytes read ahead
/// to tell what it holds, then given back in order before the rest.
/// </summary>
internal sealed class PeekedStream : Stream
{
    private readonly Stream _rest;
    private readonly byte[] _head;
    private int _headRead;

    private PeekedStream(byte[] head, Stream rest)
    {
        _head = head;
        _rest = rest;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Reads up to <paramref name="count"/> bytes of <paramref name="stream"/> and gives a stream that still starts with them.</summary>
    public static (byte[] Head, Stream Stream) Peek(Stream stream, int count)
    {
        var head = new byte[count];
        var read = stream.ReadAtLeast(head, count, throwOnEndOfStream: false);
        Array.Resize(ref head, read);
        if (stream.CanSeek)
        {
            stream.Seek(-read, SeekOrigin.Current);
            return (head, stream);
        }

        return (head, new PeekedStream(head, stream));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headRead == _head.Length)
        {
            return _rest.Read(buffer);
        }

        var count = Math.Min(buffer.Length, _head.Length - _headRead);
        _head.AsSpan(_headRead, count).CopyTo(buffer);
        _headRead += count;
        return count;
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
            _rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
