namespace Rfm.Sql;

/// <summary>The SQL type a <see cref="SqlResultWriter"/> gives the customer id column of a result table.</summary>
public enum SqlCustomerIdType
{
    /// <summary>Text (<c>TEXT</c> on PostgreSQL, <c>VARCHAR</c> on DuckDB): every id is written as it is.</summary>
    Text = 0,

    /// <summary>A 32-bit integer (<c>INTEGER</c>): every id must be the invariant text of one (<c>42</c>, <c>-7</c>; not <c>042</c> or <c>+7</c>).</summary>
    Integer = 1,

    /// <summary>A 64-bit integer (<c>BIGINT</c>): every id must be the invariant text of one (<c>42</c>, <c>-7</c>; not <c>042</c> or <c>+7</c>).</summary>
    BigInt = 2,
}
