using System.IO.Compression;
using System.Text;
using Rfm.Cli.Input;

namespace Rfm.Cli.Tests.Input;

/// <summary>Gzip read from streams that cannot seek, as from a pipe: whole data or an error, never a part.</summary>
public sealed class CheckedGzipStreamTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(
        Enumerable.Range(0, 4000).Select(i => $"c{i % 397},{i},2024-01-{1 + (i % 28):00},{(i * 7919) % 1000}.{i % 100:00}\n")));

    [Fact]
    public void WholeData_ReadInAnyPieces_IsTheOriginal()
    {
        var gz = Gzip(Text);
        foreach (var piece in new[] { 1, 7, 100, 8192, 100_000 })
        {
            Assert.Equal(Text, Decompress(gz, piece));
        }
    }

    [Fact]
    public void DataCutAnywhere_IsAnError_NotAShortRead()
    {
        var gz = Gzip(Text);
        var cuts = Enumerable.Range(1, 40).Select(back => gz.Length - back).Concat(Enumerable.Range(1, 60).Select(i => gz.Length * i / 61));
        foreach (var cut in cuts)
        {
            var ex = Assert.Throws<GzipDataException>(() => Decompress(gz[..cut]));
            Assert.Contains("ends early", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DamagedCrc_SaysTheTrailerDoesNotMatch()
    {
        var gz = Gzip(Text);
        gz[^6] ^= 0x40;

        var ex = Assert.Throws<GzipDataException>(() => Decompress(gz));

        Assert.Contains("its trailer does not match: the CRC-32 it records", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("compression method", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedLength_SaysTheTrailerDoesNotMatch()
    {
        var gz = Gzip(Text);
        gz[^2] ^= 0x01;

        var ex = Assert.Throws<GzipDataException>(() => Decompress(gz));

        Assert.Contains($"its trailer does not match: the length it records is not the {Text.Length:N0} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedCompressedData_SaysSo()
    {
        var gz = Gzip(Text);
        for (var i = 12; i < 40; i++)
        {
            gz[i] ^= 0xFF;
        }

        var ex = Assert.Throws<GzipDataException>(() => Decompress(gz));

        Assert.Contains("the gzip data is damaged", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConcatenatedMembers_AreReadWhole()
    {
        var (first, second) = (Text[..1000], Text[1000..]);

        Assert.Equal(Text, Decompress([.. Gzip(first), .. Gzip(second)], 333));
        Assert.Equal(Text, Decompress([.. Gzip([]), .. Gzip(first), .. Gzip([]), .. Gzip(second)]));
    }

    [Fact]
    public void ConcatenatedMembers_AreEachChecked()
    {
        var first = Gzip(Text[..1000]);
        first[^6] ^= 0x01;
        var second = Gzip(Text[1000..]);

        var damagedFirst = Assert.Throws<GzipDataException>(() => Decompress([.. first, .. second]));
        var cutSecond = Assert.Throws<GzipDataException>(() => Decompress([.. Gzip(Text[..1000]), .. second[..^5]]));

        Assert.Contains("part 1", damagedFirst.Message, StringComparison.Ordinal);
        Assert.Contains("ends early", cutSecond.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesAfterTheLastMember_AreAnError()
    {
        var gz = Gzip(Text);

        var zeros = Assert.Throws<GzipDataException>(() => Decompress([.. gz, 0, 0, 0, 0]));
        var lone = Assert.Throws<GzipDataException>(() => Decompress([.. gz, 0x1F]));

        Assert.Contains($"followed by 4 bytes at offset {gz.Length:N0} that are not gzip", zeros.Message, StringComparison.Ordinal);
        Assert.Contains("not gzip", lone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalHeaderFields_AreSkipped_AndTheHeaderCrcChecked()
    {
        // A header with every optional field: extra data, a file name, a comment and the header's own CRC.
        var plain = Gzip(Text);
        var header = new List<byte>(plain[..10]) { [3] = 0x1E };
        header.AddRange([5, 0, 1, 2, 3, 4, 5]);
        header.AddRange(Encoding.ASCII.GetBytes(new string('n', 70_000) + "\0comment\0"));
        var crc = (ushort)System.IO.Hashing.Crc32.HashToUInt32(header.ToArray());
        byte[] withFields = [.. header, (byte)crc, (byte)(crc >> 8), .. plain[10..]];
        byte[] damaged = [.. header, (byte)~crc, (byte)(crc >> 8), .. plain[10..]];

        Assert.Equal(Text, Decompress(withFields));
        Assert.Contains("damaged header", Assert.Throws<GzipDataException>(() => Decompress(damaged)).Message, StringComparison.Ordinal);
        Assert.Contains("stops within its header", Assert.Throws<GzipDataException>(() => Decompress(withFields[..5000])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherMethodOrReservedFlags_AreRefused()
    {
        var method = Gzip(Text);
        method[2] = 7;
        var flags = Gzip(Text);
        flags[3] = 0x20;

        Assert.Contains("compression method 7", Assert.Throws<GzipDataException>(() => Decompress(method)).Message, StringComparison.Ordinal);
        Assert.Contains("reserved flags", Assert.Throws<GzipDataException>(() => Decompress(flags)).Message, StringComparison.Ordinal);
    }

    internal static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] gz, int piece = 4096)
    {
        using var gzip = new CheckedGzipStream(new OneWayStream(gz));
        var output = new MemoryStream();
        var buffer = new byte[piece];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }
}

/// <summary>Bytes that can only be read forward, a few at a time, as from a pipe.</summary>
internal sealed class OneWayStream(byte[] bytes) : ForwardOnlyStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        // A pipe hands over what has arrived: never more than a pipe's buffer.
        var read = Math.Min(Math.Min(buffer.Length, 4093), bytes.Length - _position);
        bytes.AsSpan(_position, read).CopyTo(buffer);
        _position += read;
        return read;
    }
}
