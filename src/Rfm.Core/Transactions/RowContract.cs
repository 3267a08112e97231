using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rfm;

/// <summary>
/// What the texts of a row mean, on every path a row takes (transactions, columns, data readers, the UTF-8 CSV reader)
/// and for every package that reads rows of its own, SQL included: which id texts are no id, which date texts are read
/// and how, and which column a name finds.
/// </summary>
public static partial class RowContract
{
    /// <summary>
    /// The form of a date given as text without a format, as a regular expression that .NET, PostgreSQL and RE2
    /// (DuckDB) read alike. It is matched against the text with white space (<see cref="char.IsWhiteSpace(char)"/>)
    /// trimmed from both ends: <c>yyyy-MM-dd</c>, then optionally a space or <c>T</c>, <c>HH:mm</c>, optionally
    /// <c>:ss</c> and a fraction of at most six digits (further digits only zeros), and then optionally <c>Z</c> or an
    /// offset <c>+HH:mm</c> / <c>-HH:mm</c>.
    /// </summary>
    /// <remarks>
    /// The groups, numbered from 1: year, month, day, hour, minute, second, fraction (the digits kept, to be read as
    /// a decimal fraction), time zone designator, offset sign, offset hours, offset minutes. A text of this form is a
    /// date only when the fields make one: month 01-12, a day the month has, hour 00-23, minute and second 00-59,
    /// offset minutes 00-59, and the time in UTC between years 1 and 9999. An offset converts the time to UTC.
    /// </remarks>
    public static string TimestampPattern => TimestampRule;

    // A constant for the generated regular expression; the public property keeps other packages reading this
    // assembly's rule rather than a copy compiled into them.
    private const string TimestampRule =
        "^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]{1,6})0*)?)?(Z|([+-])([0-9]{2}):([0-9]{2}))?)?$";

    /// <summary>
    /// Whether a customer id or order id is no id: null, empty or only white space (<see cref="char.IsWhiteSpace(char)"/>).
    /// A row without a customer is excluded; a row without an order is an order of its own and never a cancellation.
    /// Any other text is the id exactly as given: not trimmed, not case-folded.
    /// </summary>
    /// <param name="id">The id's text.</param>
    /// <returns><see langword="true"/> when the text is no id.</returns>
    public static bool IsBlankId([NotNullWhen(false)] string? id) => string.IsNullOrWhiteSpace(id);

    /// <summary>
    /// Reads a date given as text: the form of <see cref="TimestampPattern"/> (<c>2011-12-09</c>,
    /// <c>2011-12-09 12:50</c>, <c>2011-12-09T12:50:00.123456+01:00</c>), or exactly <paramref name="format"/> when
    /// one is given. White space around the text is allowed. A time zone designator converts the time to UTC. Dates
    /// are read to the microsecond, the precision every SQL engine holds: a fraction finer than that is refused, never
    /// rounded.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="format">A .NET custom date format, or <see langword="null"/> for the ISO forms.</param>
    /// <param name="timestamp">The date read.</param>
    /// <returns>Whether the text is such a date.</returns>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, string? format, out DateTime timestamp)
    {
        text = text.Trim(WhiteSpaceChars);
        var read = format is null
            ? TryParseIso(text, out timestamp)
            : DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out timestamp);
        if (read && timestamp.Ticks % TimeSpan.TicksPerMicrosecond != 0)
        {
            timestamp = default;
            return false;
        }

        return read;
    }

    /// <summary>
    /// Reads an amount, quantity or price given as text: <c>[sign]digits[.digits][e[sign]digits]</c> in the invariant
    /// culture (<c>1234.56</c>, <c>-1.5e3</c>, <c>.5</c>, <c>5.</c>), white space around allowed, and only when a
    /// <see cref="decimal"/> holds the value exactly: <c>1e-40</c> or a value with more than 28 significant digits is
    /// refused, never rounded.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The number read.</param>
    /// <returns>Whether the text is such a number.</returns>
    public static bool TryParseAmount(ReadOnlySpan<char> text, out decimal value) => ExactDecimal.TryParse(text, out value);

    /// <summary>
    /// The amount of a row given as quantity and unit price: their product, only when a <see cref="decimal"/> holds it
    /// exactly (a product that would round is refused).
    /// </summary>
    /// <param name="quantity">The quantity.</param>
    /// <param name="unitPrice">The unit price.</param>
    /// <param name="amount">The product.</param>
    /// <returns>Whether the product is exact.</returns>
    public static bool TryMultiply(decimal quantity, decimal unitPrice, out decimal amount) => ExactDecimal.TryMultiply(quantity, unitPrice, out amount);

    /// <summary>
    /// The columns a name finds in a header: those named exactly so; when there are none, those whose name, trimmed,
    /// equals it ignoring case (ordinal). One column is a match; none or several are an error the caller reports (two
    /// candidates would make the choice arbitrary).
    /// </summary>
    /// <param name="header">The column names in order; a null name matches nothing.</param>
    /// <param name="name">The name to find.</param>
    /// <returns>The zero-based ordinals of the candidates, in order.</returns>
    public static IReadOnlyList<int> FindColumns(IReadOnlyList<string?> header, string name)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(name);
        var exact = new List<int>();
        var loose = new List<int>();
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.Ordinal))
            {
                exact.Add(i);
            }
            else if (string.Equals(header[i]?.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                loose.Add(i);
            }
        }

        return exact.Count > 0 ? exact : loose;
    }

    /// <summary>
    /// The one column a name finds in a header (<see cref="FindColumns"/>), or the error every reader gives: no such
    /// column (naming the columns there are), or several (naming them).
    /// </summary>
    /// <param name="header">The column names in order; a null name matches nothing.</param>
    /// <param name="name">The name to find.</param>
    /// <returns>The zero-based ordinal of the column.</returns>
    /// <exception cref="TransactionDataException">No column, or more than one, has the name.</exception>
    public static int FindColumn(IReadOnlyList<string?> header, string name)
    {
        var candidates = FindColumns(header, name);
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        if (candidates.Count > 1)
        {
            throw new TransactionDataException(
                0,
                name,
                null,
                $"{candidates.Count} columns are named so (columns {string.Join(", ", candidates.Select(c => (c + 1).ToString(CultureInfo.InvariantCulture)))}); rename them or map the column by ordinal");
        }

        // At most 20 names of at most 40 characters, so that the header of a binary file stays readable.
        const int MaxNames = 20, MaxLength = 40;
        var shown = header.Take(MaxNames).Select(n => n ?? string.Empty).Select(n => n.Length <= MaxLength ? n : n[..MaxLength] + "...");
        var more = header.Count > MaxNames ? $" and {header.Count - MaxNames} more" : string.Empty;
        throw new TransactionDataException(0, name, null, $"there is no such column; the columns are: {string.Join(", ", shown)}{more}");
    }

    /// <summary><see cref="IsBlankId(string?)"/> over characters.</summary>
    internal static bool IsBlankId(ReadOnlySpan<char> id) => id.IsWhiteSpace();

    /// <summary><paramref name="id"/>, or null when it is no id.</summary>
    internal static string? IdOrNull(string? id) => IsBlankId(id) ? null : id;

    /// <summary>
    /// Every character <see cref="char.IsWhiteSpace(char)"/> calls white space: what makes an id blank and what is
    /// trimmed around a date, for code (SQL) that must apply the same rule.
    /// </summary>
    public static string WhiteSpace { get; } = string.Concat(Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace));

    private static ReadOnlySpan<char> WhiteSpaceChars => WhiteSpace;

    // The fields of TimestampPattern made into a UTC date, when they make one. The pattern decides the form, without
    // allocating; a text of that form has each field at a known place, so the fields are read where they stand. The
    // text is trimmed, so it cannot end in the line feed before which .NET's '$' also matches.
    private static bool TryParseIso(ReadOnlySpan<char> text, out DateTime timestamp)
    {
        timestamp = default;
        if (!Timestamp().IsMatch(text))
        {
            return false;
        }

        // yyyy-MM-dd[(T| )HH:mm[:ss[.f+]]][Z|(+|-)HH:mm]
        int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
        int hour = 0, minute = 0, second = 0, micros = 0;
        var at = 10;
        if (text.Length > at)
        {
            hour = Digits(text, 11, 2);
            minute = Digits(text, 14, 2);
            at = 16;
            if (at < text.Length && text[at] == ':')
            {
                second = Digits(text, 17, 2);
                at = 19;
                if (at < text.Length && text[at] == '.')
                {
                    // At most six digits count; the pattern allows only zeros after them.
                    var digits = 0;
                    while (++at < text.Length && char.IsAsciiDigit(text[at]))
                    {
                        micros = digits++ < 6 ? (micros * 10) + (text[at] - '0') : micros;
                    }

                    for (; digits < 6; digits++)
                    {
                        micros *= 10;
                    }
                }
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second).Ticks + (micros * TimeSpan.TicksPerMicrosecond);
        var utc = at < text.Length;
        if (utc && text[at] != 'Z')
        {
            int offsetHours = Digits(text, at + 1, 2), offsetMinutes = Digits(text, at + 4, 2);
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                return false;
            }

            var offset = ((offsetHours * 60L) + offsetMinutes) * TimeSpan.TicksPerMinute;
            ticks -= text[at] == '+' ? offset : -offset;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                return false;
            }
        }

        timestamp = new DateTime(ticks, utc ? DateTimeKind.Utc : DateTimeKind.Unspecified);
        return true;
    }

    // The value of count ASCII digits the pattern has already checked.
    private static int Digits(ReadOnlySpan<char> text, int start, int count)
    {
        var value = 0;
        foreach (var c in text.Slice(start, count))
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    [GeneratedRegex(TimestampRule, RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();
}
