using System.Data.Common;
using System.Numerics;

namespace Rfm.Sql;

/// <summary>
/// What a table really holds, read before a query runs: the mapped columns found by name as the in-memory readers find
/// them (<see cref="RowContract.FindColumns"/>), the date column's type, and money columns the library can read exactly.
/// </summary>
internal static class SqlTableShape
{
    /// <summary>
    /// The pipeline to run on the table: <paramref name="pipeline"/> itself when the table has the columns it names with
    /// the date type it reads, otherwise one written for the names and date type the table has.
    /// </summary>
    public static async Task<PipelineSql> ResolveAsync(PipelineSql pipeline, SqlTableName table, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var dialect = pipeline.Dialect;
        var probe = new SqlStatement(dialect, $"SELECT * FROM {table.ToSql(dialect)} WHERE 1 = 0", []);
        var command = probe.CreateCommand(connection);
        string[] names;
        string[] types;
        Type[] fieldTypes;
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                names = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
                types = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName)];
                fieldTypes = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType)];
            }
        }

        var columns = pipeline.Columns;
        int Find(ColumnRef column) => RowContract.FindColumn(names, column.Name!);
        var customer = Find(columns.Customer);
        var order = columns.Order is { } o ? Find(o) : (int?)null;
        var timestamp = Find(columns.Timestamp);
        var partition = columns.Partition is { } pc ? Find(pc) : (int?)null;
        int[] money = columns.Amount is { } a ? [Find(a)] : [Find(columns.Quantity!.Value), Find(columns.UnitPrice!.Value)];
        foreach (var ordinal in money)
        {
            CheckMoney(names[ordinal], types[ordinal], fieldTypes[ordinal]);
        }

        var dateType = DateTypeOf(names[timestamp], types[timestamp], fieldTypes[timestamp]);
        ColumnRef? Named(int? ordinal) => ordinal is { } i ? ColumnRef.Named(names[i]) : (ColumnRef?)null;
        var product = columns.Amount is null;
        var resolved = columns with
        {
            Customer = names[customer],
            Order = Named(order),
            Timestamp = names[timestamp],
            Amount = Named(product ? null : money[0]),
            Quantity = Named(product ? money[0] : null),
            UnitPrice = Named(product ? money[1] : null),
            Partition = Named(partition),
        };

        return resolved == columns && dateType == pipeline.DateType
            ? pipeline
            : new PipelineSql(dialect, pipeline.Calculator, table, resolved, pipeline.AnalysisDate, dateType);
    }

    /// <summary>
    /// The SQL type of the customer id column of <paramref name="table"/> as the engine names it (<c>bigint</c>,
    /// <c>VARCHAR</c>, <c>numeric(12, 0)</c>), for a result table that keeps the customer id in its source type.
    /// </summary>
    public static async Task<string> CustomerIdTypeAsync(PipelineSql pipeline, SqlTableName table, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var dialect = pipeline.Dialect;
        var column = dialect.QuoteIdentifier(pipeline.Columns.Customer.Name!);
        var columns = await ColumnsAsync(dialect, $"SELECT {column} FROM {table.ToSql(dialect)}", connection, transaction, cancellationToken).ConfigureAwait(false);
        return columns[0].Type;
    }

    /// <summary>
    /// The names and SQL types of a query's columns, the types as the engine writes them in a statement: PostgreSQL's
    /// with their modifiers (<c>numeric(18, 2)</c>) from the provider, DuckDB's from <c>DESCRIBE</c> (its provider names
    /// a decimal without its precision and scale).
    /// </summary>
    public static async Task<List<(string Name, string Type)>> ColumnsAsync(SqlDialect dialect, string query, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var command = ResultTableSql.Describe(dialect, query).CreateCommand(connection);
        var columns = new List<(string Name, string Type)>();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (dialect == SqlDialect.DuckDb)
                {
                    var name = reader.GetOrdinal("column_name");
                    var type = reader.GetOrdinal("column_type");
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        columns.Add((reader.GetString(name), reader.GetString(type)));
                    }
                }
                else
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        columns.Add((reader.GetName(i), reader.GetDataTypeName(i)));
                    }
                }
            }
        }

        return columns;
    }

    // Timestamps and dates, timestamps with time zone, and text: the three ways a date column is read.
    private static SqlDateType DateTypeOf(string name, string type, Type fieldType)
    {
        var lower = type.ToLowerInvariant();
        if (fieldType == typeof(string))
        {
            return SqlDateType.Text;
        }

        if (fieldType == typeof(DateTimeOffset)
            || (fieldType == typeof(DateTime) && (lower.StartsWith("timestamptz", StringComparison.Ordinal) || lower.Contains("with time zone", StringComparison.Ordinal))))
        {
            return SqlDateType.TimestampWithTimeZone;
        }

        // A nanosecond timestamp would be cut to the microsecond by the statement's cast: refused, never truncated.
        if (lower.Replace("_", string.Empty, StringComparison.Ordinal).StartsWith("timestampns", StringComparison.Ordinal))
        {
            throw new TransactionDataException(
                0,
                name,
                null,
                $"the column is of type {type}, finer than the microsecond the library reads dates to: cast it to TIMESTAMP in a view if truncating is meant");
        }

        if (fieldType == typeof(DateTime) || fieldType == typeof(DateOnly))
        {
            return SqlDateType.Timestamp;
        }

        throw new TransactionDataException(
            0,
            name,
            null,
            $"the column is of type {type}, which is not a date: give a timestamp, a timestamp with time zone, a date, or ISO 8601 text");
    }

    // Money is read exactly only from exact numbers: the database sums and compares it before the library sees it.
    private static void CheckMoney(string name, string type, Type fieldType)
    {
        if (fieldType == typeof(decimal) || fieldType == typeof(long) || fieldType == typeof(int) || fieldType == typeof(short) || fieldType == typeof(byte)
            || fieldType == typeof(sbyte) || fieldType == typeof(ulong) || fieldType == typeof(uint) || fieldType == typeof(ushort)
            || fieldType == typeof(BigInteger) || fieldType == typeof(Int128) || fieldType == typeof(UInt128))
        {
            return;
        }

        var problem = fieldType == typeof(double) || fieldType == typeof(float) || fieldType == typeof(Half)
            ? $"the column is of type {type}: floating-point money is not exact, and the database would add it up with digits already lost"
            : fieldType == typeof(string)
                ? $"the column is of type {type}: the database would read text as numbers by its own rules, not the library's"
                : $"the column is of type {type}, which is not a number";
        throw new TransactionDataException(0, name, null, problem + "; cast it to NUMERIC or DECIMAL in a view (which refuses a text that is not a number) and query the view");
    }
}
