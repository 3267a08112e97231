namespace Rfm;

/// <summary>Decides from an order id whether a row belongs to a cancelled order.</summary>
/// <remarks>
/// Instances are immutable and safe to share between threads when the custom predicate is. Two rules are equal
/// when they are built the same way (the same kind and text, or the same predicate instance), so that policies
/// built separately from the same settings compare equal.
/// </remarks>
public sealed class CancellationRule : IEquatable<CancellationRule>
{
    private enum Kind
    {
        None,
        Prefix,
        Contains,
        Custom,
    }

    private readonly Kind _kind;
    private readonly string _text;
    private readonly Func<string, bool>? _predicate;

    private CancellationRule(Kind kind, string text, Func<string, bool>? predicate, string description)
    {
        _kind = kind;
        _text = text;
        _predicate = predicate;
        Description = description;
    }

    /// <summary>No row is a cancellation.</summary>
    public static CancellationRule None { get; } = new(Kind.None, string.Empty, null, "none");

    /// <summary>
    /// The default: order ids that start with an upper-case <c>C</c> (the convention of the UCI Online Retail data).
    /// </summary>
    public static CancellationRule Default { get; } = OrderIdStartsWith("C");

    /// <summary>A human-readable description of the rule, for summaries and logs.</summary>
    public string Description { get; }

    /// <summary>Order ids that start with <paramref name="prefix"/> (ordinal, case-sensitive) are cancellations.</summary>
    /// <param name="prefix">The prefix; not empty.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty.</exception>
    public static CancellationRule OrderIdStartsWith(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new(Kind.Prefix, prefix, null, $"order id starts with '{prefix}'");
    }

    /// <summary>
    /// Order ids that contain <paramref name="text"/> anywhere (ordinal, case-sensitive) are cancellations;
    /// this is what pandas <c>str.contains("C")</c> does in the classic tutorial.
    /// </summary>
    /// <param name="text">The text to look for; not empty.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty.</exception>
    public static CancellationRule OrderIdContains(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new(Kind.Contains, text, null, $"order id contains '{text}'");
    }

    /// <summary>A caller predicate over the order id (never called with a null or empty id).</summary>
    /// <param name="isCancellation">Returns <see langword="true"/> for a cancelled order's id. It must be thread-safe
    /// when the rule is used from several threads.</param>
    /// <param name="description">What the rule does, for summaries.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CancellationRule Custom(Func<string, bool> isCancellation, string description = "custom")
    {
        ArgumentNullException.ThrowIfNull(isCancellation);
        ArgumentNullException.ThrowIfNull(description);
        return new(Kind.Custom, string.Empty, isCancellation, description);
    }

    /// <summary>Whether a row with this order id belongs to a cancelled order.</summary>
    /// <param name="orderId">The order id; a null, empty or white-space id is no order, never a cancellation.</param>
    /// <returns><see langword="true"/> when the row is a cancellation.</returns>
    public bool IsCancellation(string? orderId)
    {
        if (RowContract.IsBlankId(orderId))
        {
            return false;
        }

        return _kind == Kind.Custom ? _predicate!(orderId) : IsCancellation(orderId.AsSpan());
    }

    /// <summary><see cref="IsCancellation(string?)"/> over characters, allocating only for a custom predicate.</summary>
    internal bool IsCancellation(ReadOnlySpan<char> orderId)
    {
        if (RowContract.IsBlankId(orderId))
        {
            return false;
        }

        return _kind switch
        {
            Kind.Prefix => orderId.StartsWith(_text, StringComparison.Ordinal),
            Kind.Contains => orderId.Contains(_text, StringComparison.Ordinal),
            Kind.Custom => _predicate!(orderId.ToString()),
            _ => false,
        };
    }

    /// <summary>Whether the rule is a caller predicate, which only .NET can run (a database cannot).</summary>
    public bool IsCustom => _kind == Kind.Custom;

    /// <summary>Whether the rule looks for its text at the start of the order id (else anywhere in it).</summary>
    public bool IsPrefix => _kind == Kind.Prefix;

    /// <summary>The text a prefix or contains rule looks for; null for no rule or a predicate.</summary>
    public string? Text => _kind is Kind.Prefix or Kind.Contains ? _text : null;

    /// <inheritdoc />
    public bool Equals(CancellationRule? other) =>
        other is not null
        && _kind == other._kind
        && string.Equals(_text, other._text, StringComparison.Ordinal)
        && Equals(_predicate, other._predicate);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CancellationRule);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_kind, _text, _predicate);

    /// <inheritdoc />
    public override string ToString() => Description;
}
