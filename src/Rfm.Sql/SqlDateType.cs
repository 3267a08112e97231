namespace Rfm.Sql;

/// <summary>
/// The SQL type of the date column, which decides how the statements read a purchase's date: the way the in-memory
/// library reads the same value from an <see cref="System.Data.IDataReader"/>, whatever the session's settings.
/// </summary>
/// <remarks>
/// Running a query (<see cref="RfmSqlQuery.CalculateAsync(System.Data.Common.DbConnection, CancellationToken)"/>, <see cref="RfmSqlQuery.CreateTableAsync(System.Data.Common.DbConnection, SqlTableName, bool, CancellationToken)"/>,
/// <see cref="RfmSqlQuery.ReadIngestionAsync(System.Data.Common.DbConnection, CancellationToken)"/>) reads the table's columns first and uses the type the column really
/// has; the type given to <see cref="RfmSqlGenerator.Query(SqlTableName, TransactionColumns, DateTime, SqlDateType)"/>
/// decides the statement text printed or run by other means.
/// </remarks>
public enum SqlDateType
{
    /// <summary>
    /// A timestamp without time zone (<c>TIMESTAMP</c>; Spark <c>TIMESTAMP_NTZ</c>), or a <c>DATE</c>, which is read
    /// as its midnight: the wall clock as stored.
    /// </summary>
    Timestamp,

    /// <summary>
    /// A timestamp with time zone (PostgreSQL <c>timestamptz</c>, DuckDB <c>TIMESTAMPTZ</c>, Spark <c>TIMESTAMP</c>):
    /// an instant, read as its UTC wall clock whatever the session's time zone, as the providers hand it to .NET.
    /// </summary>
    TimestampWithTimeZone,

    /// <summary>
    /// Text, read exactly as <see cref="RowContract.TryParseTimestamp(ReadOnlySpan{char}, string?, out DateTime)"/>
    /// reads it without a format: <see cref="RowContract.WhiteSpace"/> trimmed, the form of
    /// <see cref="RowContract.TimestampPattern"/>, every field checked, an offset converted to UTC. A blank text is a
    /// missing date; any other text that is not such a date makes the input invalid. The server never guesses a date
    /// (no <c>DateStyle</c>, no session time zone, no words such as <c>yesterday</c>).
    /// </summary>
    Text,
}
