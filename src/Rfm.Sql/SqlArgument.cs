namespace Rfm.Sql;

/// <summary>One parameter of a <see cref="SqlStatement"/>: its name (without the dialect's marker) and value.</summary>
/// <param name="Name">The name, as written after the dialect's marker (<c>$</c>, <c>@</c> or <c>:</c>).</param>
/// <param name="Value">The value: a <see cref="string"/>, <see cref="double"/> or <see cref="DateTime"/> (a timestamp without time zone).</param>
public readonly record struct SqlArgument(string Name, object Value);
