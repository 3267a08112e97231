using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Rfm;

/// <summary>
/// What the texts of a row mean, on every path a row takes (transactions, columns, data readers, the UTF-8 CSV reader)
/// and for every package that reads rows of its own: which id texts are no id, and which date texts are read.
/// </summary>
public static class RowContract
{
    // The ISO 8601 forms read without a format: a time zone designator converts the time to UTC.
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK",
    ];

    /// <summary>
    /// Whether a customer id or order id is no id: null, empty or only white space (<see cref="char.IsWhiteSpace(char)"/>).
    /// A row without a customer is excluded; a row without an order is an order of its own and never a cancellation.
    /// Any other text is the id exactly as given: not trimmed, not case-folded.
    /// </summary>
    /// <param name="id">The id's text.</param>
    /// <returns><see langword="true"/> when the text is no id.</returns>
    public static bool IsBlankId([NotNullWhen(false)] string? id) => string.IsNullOrWhiteSpace(id);

    /// <summary>
    /// Reads a date given as text: one of the ISO 8601 forms (<c>2011-12-09</c>, <c>2011-12-09 12:50</c>,
    /// <c>2011-12-09T12:50:00.1234567</c>; a time zone designator such as <c>Z</c> or <c>+01:00</c> converts the time to
    /// UTC), or exactly <paramref name="format"/> when one is given. White space around the text is allowed.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="format">A .NET custom date format, or <see langword="null"/> for the ISO forms.</param>
    /// <param name="timestamp">The date read.</param>
    /// <returns>Whether the text is such a date.</returns>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, string? format, out DateTime timestamp)
    {
        const DateTimeStyles Styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal;
        return format is null
            ? DateTime.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, Styles, out timestamp)
            : DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, Styles, out timestamp);
    }

    /// <summary><see cref="IsBlankId(string?)"/> over characters.</summary>
    internal static bool IsBlankId(ReadOnlySpan<char> id) => id.IsWhiteSpace();

    /// <summary><paramref name="id"/>, or null when it is no id.</summary>
    internal static string? IdOrNull(string? id) => IsBlankId(id) ? null : id;
}
