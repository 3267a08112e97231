using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Rfm.Sql.Tests.Engines;

/// <summary>
/// One transaction row as stored in a test table; any field may be missing. A table whose date column is text stores
/// <paramref name="DateText"/> when given (another way of writing the date, or text that is no date), else the date in ISO form.
/// </summary>
public sealed record TestRow(string? Customer, string? Order, DateTime? Timestamp, decimal? Quantity, decimal? UnitPrice, string? DateText = null);

/// <summary>Creates a table of transactions in a real engine, with whatever column names a test needs.</summary>
internal sealed record TransactionTable(SqlTableName Name, string Customer = "customer_id", string Order = "invoice", string Timestamp = "purchased_at", string Quantity = "quantity", string UnitPrice = "unit_price", string Amount = "amount")
{
    /// <summary>Whether the table holds each row's amount (quantity x unit price) in one column instead of the two factors.</summary>
    public bool AmountColumn { get; init; }

    /// <summary>The SQL type of the date column.</summary>
    public SqlDateType DateType { get; init; }

    /// <summary>The date column's SQL type in a dialect.</summary>
    public static string DateColumnType(SqlDialect dialect, SqlDateType type) => type switch
    {
        SqlDateType.Timestamp => "TIMESTAMP",
        SqlDateType.TimestampWithTimeZone => "TIMESTAMPTZ",
        _ => dialect == SqlDialect.PostgreSql ? "TEXT" : "VARCHAR",
    };

    /// <summary>
    /// The text a row's date is stored as in a text or zoned column. A NUL, which DuckDB cuts a bound text at, travels
    /// as U+E000 and is put back by <see cref="DateValue"/>; PostgreSQL text cannot hold one at all.
    /// </summary>
    private string? DateTextOf(TestRow row) => DateType switch
    {
        SqlDateType.Text => (row.DateText ?? row.Timestamp?.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))?.Replace('\0', '\uE000'),
        _ => row.Timestamp?.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00:00",
    };

    // How a bound date becomes the column's value.
    private string DateValue(SqlDialect dialect, string parameter) => DateType switch
    {
        SqlDateType.Timestamp => $"CAST({parameter} AS TIMESTAMP)",
        SqlDateType.TimestampWithTimeZone => $"CAST({parameter} AS TIMESTAMPTZ)",
        _ when dialect == SqlDialect.DuckDb => $"replace({parameter}, chr(57344), chr(0))",
        _ => parameter,
    };

    public TransactionColumns Columns => AmountColumn
        ? new() { Customer = Customer, Order = Order, Timestamp = Timestamp, Amount = Amount }
        : new() { Customer = Customer, Order = Order, Timestamp = Timestamp, Quantity = Quantity, UnitPrice = UnitPrice };

    public async Task CreateAsync(DbConnection connection, SqlDialect dialect, IReadOnlyList<TestRow> rows)
    {
        var text = dialect == SqlDialect.PostgreSql ? "TEXT" : "VARCHAR";
        var q = dialect.QuoteIdentifier;
        var money = AmountColumn ? $"{q(Amount)} DECIMAL(18, 7)" : $"{q(Quantity)} DECIMAL(12, 3), {q(UnitPrice)} DECIMAL(12, 4)";
        await ExecuteAsync(connection, $"CREATE TABLE {Name.ToSql(dialect)} ({q(Customer)} {text}, {q(Order)} {text}, {q(Timestamp)} {DateColumnType(dialect, DateType)}, {money})");

        const int Batch = 200;
        for (var start = 0; start < rows.Count; start += Batch)
        {
            await using var command = connection.CreateCommand();
            var values = new List<string>();
            foreach (var (row, i) in rows.Skip(start).Take(Batch).Select((row, i) => (row, i)))
            {
                string[] names = AmountColumn ? [$"c{i}", $"o{i}", $"t{i}", $"a{i}"] : [$"c{i}", $"o{i}", $"t{i}", $"q{i}", $"p{i}"];
                values.Add($"({string.Join(", ", names.Select((n, k) => k == 2 ? DateValue(dialect, dialect.Parameter(n)) : dialect.Parameter(n)))})");
                Add(command, names[0], DbType.String, row.Customer);
                Add(command, names[1], DbType.String, row.Order);
                if (DateType == SqlDateType.Timestamp)
                {
                    Add(command, names[2], DbType.DateTime2, row.Timestamp);
                }
                else
                {
                    Add(command, names[2], DbType.String, row.Timestamp is null && row.DateText is null ? null : DateTextOf(row));
                }
                if (AmountColumn)
                {
                    Add(command, names[3], DbType.Decimal, row.Quantity * row.UnitPrice);
                }
                else
                {
                    Add(command, names[3], DbType.Decimal, row.Quantity);
                    Add(command, names[4], DbType.Decimal, row.UnitPrice);
                }
            }

            command.CommandText = $"INSERT INTO {Name.ToSql(dialect)} VALUES {string.Join(", ", values)}";
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The same rows read back with the library's own data-reader ingestion: the in-memory side of a comparison.</summary>
    public RfmResult CalculateInMemory(DbConnection connection, SqlDialect dialect, RfmCalculator calculator, DateTime asOf)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Name.ToSql(dialect)}";
        using var reader = command.ExecuteReader();
        return calculator.Calculate(reader, Columns, asOf);
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public override string ToString() => Name.ToString() + " " + string.Join(",", Customer, Order, Timestamp, Quantity, UnitPrice).ToString(CultureInfo.InvariantCulture);
}
