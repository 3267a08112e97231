using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Rfm.Sql.Tests.Engines;

/// <summary>One transaction row as stored in a test table; any field may be missing.</summary>
public sealed record TestRow(string? Customer, string? Order, DateTime? Timestamp, decimal? Quantity, decimal? UnitPrice);

/// <summary>Creates a table of transactions in a real engine, with whatever column names a test needs.</summary>
internal sealed record TransactionTable(SqlTableName Name, string Customer = "customer_id", string Order = "invoice", string Timestamp = "purchased_at", string Quantity = "quantity", string UnitPrice = "unit_price", string Amount = "amount")
{
    /// <summary>Whether the table holds each row's amount (quantity x unit price) in one column instead of the two factors.</summary>
    public bool AmountColumn { get; init; }

    public TransactionColumns Columns => AmountColumn
        ? new() { Customer = Customer, Order = Order, Timestamp = Timestamp, Amount = Amount }
        : new() { Customer = Customer, Order = Order, Timestamp = Timestamp, Quantity = Quantity, UnitPrice = UnitPrice };

    public async Task CreateAsync(DbConnection connection, SqlDialect dialect, IReadOnlyList<TestRow> rows)
    {
        var text = dialect == SqlDialect.PostgreSql ? "TEXT" : "VARCHAR";
        var q = dialect.QuoteIdentifier;
        var money = AmountColumn ? $"{q(Amount)} DECIMAL(18, 7)" : $"{q(Quantity)} DECIMAL(12, 3), {q(UnitPrice)} DECIMAL(12, 4)";
        await ExecuteAsync(connection, $"CREATE TABLE {Name.ToSql(dialect)} ({q(Customer)} {text}, {q(Order)} {text}, {q(Timestamp)} TIMESTAMP, {money})");

        const int Batch = 200;
        for (var start = 0; start < rows.Count; start += Batch)
        {
            await using var command = connection.CreateCommand();
            var values = new List<string>();
            foreach (var (row, i) in rows.Skip(start).Take(Batch).Select((row, i) => (row, i)))
            {
                string[] names = AmountColumn ? [$"c{i}", $"o{i}", $"t{i}", $"a{i}"] : [$"c{i}", $"o{i}", $"t{i}", $"q{i}", $"p{i}"];
                values.Add($"({string.Join(", ", names.Select((n, k) => k == 2 ? $"CAST({dialect.Parameter(n)} AS TIMESTAMP)" : dialect.Parameter(n)))})");
                Add(command, names[0], DbType.String, row.Customer);
                Add(command, names[1], DbType.String, row.Order);
                Add(command, names[2], DbType.DateTime2, row.Timestamp);
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
