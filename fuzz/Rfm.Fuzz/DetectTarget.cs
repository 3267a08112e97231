using System.IO.Compression;
using Rfm.Cli;
using Rfm.Cli.Input;

namespace Rfm.Fuzz;

/// <summary>
/// What an input is (CSV, gzip, a workbook, something refused), from a file or from a stream that cannot seek, and
/// every row read; gzip as decompressed here against <see cref="GZipStream"/>.
/// </summary>
internal static class DetectTarget
{
    // The first byte picks the name (or standard input); the rest is the input.
    private static readonly string[] Names = [".csv", ".csv.gz", ".xlsx", ".txt", "-"];

    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var name = Names[data[0] % Names.Length];
        var bytes = data[1..];
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            CompareGzip(bytes);
        }

        if (name == "-")
        {
            ReadAll("-", new OneWayStream(bytes));
            return;
        }

        using var file = new TempInput(bytes, name);
        ReadAll(file.Path, Stream.Null);
    }

    private static void ReadAll(string path, Stream standardInput)
    {
        InputFile input;
        try
        {
            input = InputFile.Open(path, sheet: null, delimiter: null, InputFile.EncodingNamed(null), standardInput);
        }
        catch (Exception ex) when (ex is UsageException or InputException)
        {
            return;
        }

        using (input)
        {
            try
            {
                var reader = input.Reader;
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        _ = reader.GetValue(i);
                    }
                }
            }
            catch (Exception ex) when (ex is InputException || input.IsReadFailure(ex))
            {
            }
        }
    }

    // Whatever the checked stream reads whole, GZipStream reads to the same bytes. Where GZipStream refuses stray
    // bytes before a trailer that the checked stream (documented) lets pass, what it read first must agree.
    private static void CompareGzip(byte[] bytes)
    {
        var (checkedBytes, checkedError) = Decompress(new CheckedGzipStream(new OneWayStream(bytes)));
        var (plainBytes, plainError) = Decompress(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        if (checkedError is null && !(plainError is null ? checkedBytes.AsSpan().SequenceEqual(plainBytes) : checkedBytes.AsSpan().StartsWith(plainBytes)))
        {
            throw new FuzzFaultException($"the checked gzip reader read {checkedBytes.Length} bytes; GZipStream: {plainBytes.Length} bytes, different{(plainError is null ? string.Empty : $", then {plainError.Message}")}");
        }
    }

    private static (byte[] Bytes, Exception? Error) Decompress(Stream gzip)
    {
        using var output = new MemoryStream();
        try
        {
            using (gzip)
            {
                gzip.CopyTo(output);
            }

            return (output.ToArray(), null);
        }
        catch (GzipDataException ex)
        {
            return (output.ToArray(), ex);
        }
        catch (InvalidDataException ex) when (gzip is GZipStream)
        {
            return (output.ToArray(), ex);
        }
    }

    /// <summary>Bytes that can only be read forward, as from a pipe.</summary>
    private sealed class OneWayStream(byte[] bytes) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            var read = Math.Min(buffer.Length, bytes.Length - _position);
            bytes.AsSpan(_position, read).CopyTo(buffer);
            _position += read;
            return read;
        }
    }
}
