using System.Collections.Immutable;

namespace Rfm.Sql;

/// <summary>
/// A table's name, optionally qualified by schema (and catalog): each part is quoted on its own, so a dot inside a
/// part stays part of the name.
/// </summary>
public sealed record SqlTableName
{
    /// <summary>Creates a name from its parts, outermost first: <c>("sales", "orders")</c> is <c>sales.orders</c>.</summary>
    /// <param name="parts">One to three parts (catalog, schema, table), none empty.</param>
    /// <exception cref="ArgumentException">No part, more than three, or an empty one.</exception>
    public SqlTableName(params IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        Parts = [.. parts];
        if (Parts.Length is < 1 or > 3 || Parts.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A table name has one to three non-empty parts: [catalog.][schema.]table.", nameof(parts));
        }
    }

    /// <summary>The parts, outermost first.</summary>
    public ImmutableArray<string> Parts { get; }

    /// <summary>Reads a dotted name such as <c>sales.orders</c>; use the constructor for a part that contains a dot.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The table name.</returns>
    /// <exception cref="ArgumentException">A part is empty, or there are more than three.</exception>
    public static SqlTableName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new SqlTableName(name.Split('.'));
    }

    /// <summary>The name written for a dialect, every part quoted.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The quoted, dotted name.</returns>
    /// <exception cref="ArgumentException">A part cannot be a name in that dialect.</exception>
    public string ToSql(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return string.Join('.', Parts.Select(dialect.QuoteIdentifier));
    }

    /// <summary>Whether two names have the same parts, in order.</summary>
    /// <param name="other">The other name.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(SqlTableName? other) => other is not null && Parts.SequenceEqual(other.Parts, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var part in Parts)
        {
            hash.Add(part, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('.', Parts);
}
