using System.Globalization;
using System.Text;

namespace Rfm.Cli.Output;

/// <summary>
/// Text made safe to show on a terminal: every character that a terminal would act on instead of showing (escape
/// sequences, bells, carriage returns, C1 controls) or that reorders what is shown (bidirectional overrides, line
/// separators) is written as a visible escape, so that a value echoed from the input can neither rewrite the screen
/// nor hide part of a message.
/// </summary>
internal static class TerminalText
{
    /// <summary>Whether <paramref name="c"/> is shown as an escape. Line feeds and tabs are kept: they lay text out.</summary>
    public static bool IsControl(char c) =>
        c is (< ' ' and not '\n' and not '\t') or (>= '\u007f' and <= '\u009f')
            or '\u061c' or '\u200e' or '\u200f' or (>= '\u2028' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    /// <summary><paramref name="text"/> with each control character written as an escape (<c>\e</c>, <c>\0</c>, <c>\x9B</c>, <c>\u202E</c>).</summary>
    public static string Escape(string text) => Escape(text, keepLayout: true);

    /// <summary>
    /// A value from the input as a message quotes it: <see cref="Escape(string)"/>, with line feeds and tabs escaped too
    /// (<c>\n</c>, <c>\t</c>), so that the message stays on one line and shows exactly what the value holds.
    /// </summary>
    public static string Value(string? text) => text is null ? string.Empty : Escape(text, keepLayout: false);

    /// <summary>Appends <paramref name="text"/> to <paramref name="builder"/>, each control character as its escape.</summary>
    public static void Append(StringBuilder builder, ReadOnlySpan<char> text, bool keepLayout = true)
    {
        foreach (var c in text)
        {
            if (!IsControl(c) && (keepLayout || c is not ('\n' or '\t')))
            {
                builder.Append(c);
                continue;
            }

            builder.Append(c switch
            {
                '\n' => @"\n",
                '\t' => @"\t",
                '\0' => @"\0",
                '\a' => @"\a",
                '\b' => @"\b",
                '\u001b' => @"\e",
                '\f' => @"\f",
                '\r' => @"\r",
                '\v' => @"\v",
                < '\u0100' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:X4}"),
            });
        }
    }

    private static string Escape(string text, bool keepLayout)
    {
        if (!text.AsSpan().ContainsAny(Controls) && (keepLayout || !text.AsSpan().ContainsAny('\n', '\t')))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        Append(escaped, text, keepLayout);
        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Controls = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x206a).Select(i => (char)i).Where(IsControl).ToArray());
}

/// <summary>
/// A writer that passes everything to another writer with <see cref="TerminalText"/>'s escapes: for standard error,
/// summaries, and standard output when it is a terminal. Line ends written by <c>WriteLine</c> pass as they are.
/// </summary>
internal sealed class TerminalSafeWriter : TextWriter
{
    private readonly TextWriter _inner;

    private TerminalSafeWriter(TextWriter inner)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    /// <inheritdoc/>
    public override Encoding Encoding => _inner.Encoding;

    /// <summary><paramref name="writer"/> behind the escapes, once: a writer that already escapes is returned as it is.</summary>
    public static TextWriter Over(TextWriter writer) => writer as TerminalSafeWriter ?? new TerminalSafeWriter(writer);

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (TerminalText.IsControl(value))
        {
            _inner.Write(TerminalText.Escape(value.ToString()));
        }
        else
        {
            _inner.Write(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value) => _inner.Write(value is null ? null : TerminalText.Escape(value));

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new ReadOnlySpan<char>(buffer, index, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<char> buffer)
    {
        var escaped = new StringBuilder(buffer.Length + 16);
        TerminalText.Append(escaped, buffer);
        _inner.Write(escaped);
    }

    /// <inheritdoc/>
    public override void WriteLine() => _inner.WriteLine();

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        _inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        Write(buffer);
        _inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        _inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine(char value)
    {
        Write(value);
        _inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();

    /// <inheritdoc/>
    public override Task FlushAsync() => _inner.FlushAsync();
}
