namespace Rfm.Cli.Input;

/// <summary>
/// A stream that cannot seek (standard input, a named pipe, a process substitution) with its first bytes read ahead
/// to tell what it holds, then given back in order before the rest.
/// </summary>
internal sealed class PeekedStream : ForwardOnlyStream
{
    private readonly Stream _rest;
    private readonly byte[] _head;
    private int _headRead;

    private PeekedStream(byte[] head, Stream rest)
    {
        _head = head;
        _rest = rest;
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
