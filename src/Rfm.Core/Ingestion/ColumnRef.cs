using System.Globalization;

namespace Rfm;

/// <summary>A column of a data reader, by name (case-insensitive) or by zero-based ordinal.</summary>
/// <remarks><see langword="default"/>(<see cref="ColumnRef"/>) names no column, and reading with it fails.</remarks>
public readonly record struct ColumnRef
{
    // Stored plus one, so that default(ColumnRef) is "no column" rather than column 0.
    private readonly int _ordinalPlusOne;

    private ColumnRef(string? name, int ordinal)
    {
        Name = name;
        _ordinalPlusOne = ordinal + 1;
    }

    /// <summary>The column's name, or <see langword="null"/> when it is given by ordinal.</summary>
    public string? Name { get; }

    /// <summary>The column's zero-based ordinal, or -1 when it is given by name (or not at all).</summary>
    public int Ordinal => _ordinalPlusOne - 1;

    /// <summary>A column by name, matched case-insensitively (an exact match wins).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static ColumnRef Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(name, -1);
    }

    /// <summary>A column by zero-based ordinal.</summary>
    /// <param name="ordinal">The ordinal.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ordinal"/> is negative.</exception>
    public static ColumnRef At(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        return new(null, ordinal);
    }

    /// <summary>A column by name.</summary>
    /// <param name="name">The name.</param>
    public static implicit operator ColumnRef(string name) => Named(name);

    /// <summary>A column by zero-based ordinal.</summary>
    /// <param name="ordinal">The ordinal.</param>
    public static implicit operator ColumnRef(int ordinal) => At(ordinal);

    /// <inheritdoc />
    public override string ToString() => Name ?? (Ordinal < 0 ? "(no column)" : "#" + Ordinal.ToString(CultureInfo.InvariantCulture));
}
