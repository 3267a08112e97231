using System.Diagnostics.CodeAnalysis;

namespace Rfm;

/// <summary>
/// What a customer id or order id text means, on every path a row takes (transactions, columns, data readers, the
/// UTF-8 CSV reader): an id that is empty or only white space (<see cref="char.IsWhiteSpace(char)"/>) is no id. A row
/// without a customer is excluded; a row without an order is an order of its own and never a cancellation. Any other
/// text is the id exactly as given: not trimmed, not case-folded.
/// </summary>
internal static class RowKeys
{
    /// <summary>Whether <paramref name="id"/> is no id: null, empty or only white space.</summary>
    public static bool IsBlank([NotNullWhen(false)] string? id) => string.IsNullOrWhiteSpace(id);

    /// <summary>Whether <paramref name="id"/> is no id: empty or only white space.</summary>
    public static bool IsBlank(ReadOnlySpan<char> id) => id.IsWhiteSpace();

    /// <summary><paramref name="id"/>, or null when it is no id.</summary>
    public static string? OrNull(string? id) => IsBlank(id) ? null : id;
}
