using Rfm.Sql;

namespace Rfm.Cli.Tests.Parity;

/// <summary>How a SQL table holds the purchase date.</summary>
public enum DateColumn
{
    Timestamp,
    TimestampWithTimeZone,
    Text,
}

/// <summary>The one place the parity test asks the SQL generator for a query over a date column of a given type.</summary>
internal static class SqlDateLeg
{
    /// <summary>
    /// The query for a table whose date column is of <paramref name="dateType"/>. The generator takes no date type yet:
    /// every table is queried as if its dates were TIMESTAMP. When <c>Query(table, columns, asOf, SqlDateType)</c>
    /// exists, this passes <see cref="DateColumn"/> on as <c>SqlDateType</c> (Text, Timestamp, TimestampWithTimeZone).
    /// </summary>
    public static RfmSqlQuery Query(RfmSqlGenerator generator, SqlTableName table, TransactionColumns columns, DateTime asOf, DateColumn dateType)
    {
        _ = dateType;
        return generator.Query(table, columns, asOf);
    }
}
