using System.Globalization;
using System.Text;

namespace Rfm.Cli.Input;

/// <summary>
/// Bounds on what the tool holds in memory from a file: a device or an endless pipe named as an input is an error
/// once past the bound, rather than growing until the machine runs out of memory.
/// </summary>
internal static class BoundedInput
{
    /// <summary>The most bytes of a file read whole (a segment map), and the longest JSON value of a result file: 16 MiB.</summary>
    public const int MaxBytes = 16 << 20;

    private static readonly string Bound = string.Create(CultureInfo.InvariantCulture, $"{MaxBytes >> 20} MiB");

    /// <summary>The text of a small file, such as a segment map, read whole (UTF-8 unless a byte order mark says otherwise).</summary>
    /// <exception cref="InputException">The file is longer than <see cref="MaxBytes"/>.</exception>
    public static string ReadText(string path, string what)
    {
        using var file = File.OpenRead(path);
        var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            if (bytes.Length + read > MaxBytes)
            {
                throw new InputException($"{path}: longer than {Bound}, the most a {what} may be; is it a {what}?");
            }

            bytes.Write(buffer, 0, read);
        }

        bytes.Position = 0;
        using var reader = new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A JSON file's bytes, refused once a single value (a string, a number, or white space between values) runs past
    /// <see cref="MaxBytes"/>: a JSON reader holds a whole value in memory, so one endless value would exhaust it.
    /// </summary>
    public static Stream Json(string path) => new JsonValueLimit(path, path);

    // A FileStream itself, so that only reading needs saying: a derived FileStream routes every read through this one.
    private sealed class JsonValueLimit(string path, string shown) : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read)
    {
        private bool _inString;
        private bool _escaped;
        private long _run;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            foreach (var b in buffer.AsSpan(offset, read))
            {
                Scan(b);
            }

            if (_run > MaxBytes)
            {
                throw new InputException($"{shown}: a JSON value runs past {Bound}, longer than any a result of rfm analyze --out holds; is it such a result?");
            }

            return read;
        }

        // Only the delimiters outside strings end a value; inside a string, \" does not end it.
        private void Scan(byte b)
        {
            if (_inString)
            {
                (_inString, _escaped) = (_escaped || b != '"', !_escaped && b == '\\');
                _run++;
                return;
            }

            if (b is (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' or (byte)',' or (byte)':')
            {
                _run = 0;
                return;
            }

            _inString = b == '"';
            _run++;
        }
    }
}
