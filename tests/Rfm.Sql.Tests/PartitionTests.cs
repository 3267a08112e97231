using System.Data.Common;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>A differential case whose rows each carry a raw partition value (blank ones included).</summary>
public sealed record PartitionedSqlCase(SqlCase Case, string?[] Partitions)
{
    public override string ToString() => $"partitions [{string.Join(", ", Partitions.Select(p => p is null ? "null" : $"\"{p}\""))}]; {Case}";
}

public static class PartitionedSqlGenerators
{
    // Blank values (null, empty, white space as .NET defines it) are all the partition ""; case matters.
    private static readonly string?[] Values = ["A", "a", "B", " A", "7", null, string.Empty, " ", "\u00A0"];

    public static Arbitrary<PartitionedSqlCase> PartitionedSqlCases() =>
        Arb.From(
            from c in SqlGenerators.SqlCases().Generator
            from pool in Gen.Shuffle(Values)
            from size in Gen.Choose(1, 4)
            from partitions in Gen.Elements(pool[..size]).ArrayOf(c.Rows.Length)
            select new PartitionedSqlCase(c, partitions));
}

/// <summary>
/// A query with a partition column gives, per partition, what the unpartitioned query gives on a table of that
/// partition's rows alone, and what <see cref="RfmCalculator.CalculateByPartition"/> gives in memory; in DuckDB and in
/// PostgreSQL.
/// </summary>
[Properties(Arbitrary = [typeof(PartitionedSqlGenerators)])]
public sealed class PartitionTests
{
    private const string Store = "store";

    [Property(MaxTest = 100)]
    public void DuckDb_PartitionedResult_EqualsSeparateRunsAndInMemory(PartitionedSqlCase c) => Run(c, SqlDialect.DuckDb).GetAwaiter().GetResult();

    [PostgresProperty(MaxTest = 50)]
    public void PostgreSql_PartitionedResult_EqualsSeparateRunsAndInMemory(PartitionedSqlCase c) => Run(c, SqlDialect.PostgreSql).GetAwaiter().GetResult();

    [Fact]
    public async Task CalculateAsync_OfAPartitionedQuery_AndCalculateByPartitionAsync_OfAnother_AreRefused()
    {
        await using var connection = await DuckDb.OpenAsync();
        var table = new TransactionTable(new SqlTableName("transactions")) { AmountColumn = true };
        await table.CreateAsync(connection, SqlDialect.DuckDb, [new TestRow("c1", "1", new DateTime(2011, 1, 1), 1m, 2m)]);
        var generator = new RfmSqlGenerator(SqlDialect.DuckDb);
        var asOf = new DateTime(2011, 2, 1);

        var partitioned = generator.Query(table.Name, table.Columns with { Partition = table.Customer }, asOf);
        var plain = generator.Query(table.Name, table.Columns, asOf);

        Assert.Contains("CalculateByPartitionAsync", (await Assert.ThrowsAsync<InvalidOperationException>(() => partitioned.CalculateAsync(connection))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => plain.CalculateByPartitionAsync(connection));
        Assert.Equal("connection", (await Assert.ThrowsAsync<ArgumentNullException>(() => partitioned.CalculateByPartitionAsync(null!))).ParamName);
        Assert.Contains("PARTITION BY partition_key", partitioned.Customers.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("partition_key", plain.Customers.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTableAsync_OfAPartitionedQuery_HasOneRowPerPartitionAndCustomer()
    {
        await using var connection = await DuckDb.OpenAsync();
        var table = new TransactionTable(new SqlTableName("transactions")) { AmountColumn = true };
        await CreatePartitionedAsync(
            connection,
            SqlDialect.DuckDb,
            table,
            [new TestRow("c1", "1", new DateTime(2011, 1, 1), 1m, 2m), new TestRow("c1", "2", new DateTime(2011, 1, 2), 1m, 3m), new TestRow("c2", "3", new DateTime(2011, 1, 2), 1m, 3m)],
            ["A", "B", "B"]);
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(table.Name, table.Columns with { Partition = Store }, new DateTime(2011, 2, 1));

        var account = await query.CreateTableAsync(connection, new SqlTableName("scores"));

        Assert.Equal(3, account.Customers);
        Assert.Equal(3, account.RowsRead);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT partition_key || '/' || customer_id FROM scores ORDER BY 1";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.Equal(["A/c1", "B/c1", "B/c2"], rows);
    }

    private static async Task Run(PartitionedSqlCase c, SqlDialect dialect)
    {
        if (dialect == SqlDialect.PostgreSql)
        {
            await using var scope = await PostgresServer.OpenScopeAsync();
            await TransactionTable.ExecuteAsync(scope.Connection, $"SET TIME ZONE '{c.Case.Zone}'; SET DateStyle = '{c.Case.DateStyle}'");
            await Compare(c, dialect, scope.Connection);
        }
        else
        {
            await using var connection = await DuckDb.OpenAsync();
            await TransactionTable.ExecuteAsync(connection, $"SET TimeZone = '{c.Case.Zone}'");
            await Compare(c, dialect, connection);
        }
    }

    private static async Task Compare(PartitionedSqlCase c, SqlDialect dialect, DbConnection connection)
    {
        var table = new TransactionTable(new SqlTableName("transactions")) { AmountColumn = c.Case.AmountColumn, DateType = c.Case.DateType };
        var blankOf = await CreatePartitionedAsync(connection, dialect, table, c.Case.Rows, c.Partitions);
        var columns = table.Columns with { Partition = Store };
        var generator = new RfmSqlGenerator(dialect, c.Case.Pipeline.Calculator);
        var query = generator.Query(table.Name, columns, c.Case.AsOf, c.Case.DateType);

        PartitionedResult inMemory;
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table.Name.ToSql(dialect)}";
            await using var reader = await command.ExecuteReaderAsync();
            inMemory = c.Case.Pipeline.Calculator.CalculateByPartition(reader, columns, c.Case.AsOf);
        }
        catch (TransactionDataException refused)
        {
            var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateByPartitionAsync(connection));
            Assert.Equal(refused.Column, error.Column);
            return;
        }

        var partitioned = await query.CalculateByPartitionAsync(connection);

        Assert.Equal(inMemory.Partitions.Select(p => p.Partition), partitioned.Partitions.Select(p => p.Partition));
        Assert.Equal(c.Partitions.Select(p => string.IsNullOrWhiteSpace(p) ? string.Empty : p).Distinct().Order(StringComparer.Ordinal), partitioned.Partitions.Select(p => p.Partition));
        foreach (var (name, result) in partitioned.Partitions)
        {
            Assert.True(inMemory.TryGetPartition(name, out var expected));
            Same.Result(expected, result);

            // The partition's rows alone, in a table of their own, through the unpartitioned query.
            var separate = await generator.Query(blankOf[name], table.Columns, c.Case.AsOf, c.Case.DateType).CalculateAsync(connection);
            Same.Result(separate, result);
        }
    }

    /// <summary>
    /// Creates <paramref name="table"/> with a first column <c>store</c> holding each row's raw partition value, and a table
    /// per partition (blank values together) holding that partition's rows without the column.
    /// </summary>
    private static async Task<Dictionary<string, SqlTableName>> CreatePartitionedAsync(DbConnection connection, SqlDialect dialect, TransactionTable table, TestRow[] rows, string?[] partitions)
    {
        var text = dialect == SqlDialect.PostgreSql ? "TEXT" : "VARCHAR";
        // A table without rows is made from one empty part.
        var values = partitions.Length == 0 ? [null] : partitions.Distinct().ToArray();
        var parts = new List<string>();
        for (var v = 0; v < values.Length; v++)
        {
            var part = table with { Name = new SqlTableName($"raw_{v}") };
            await part.CreateAsync(connection, dialect, [.. rows.Where((_, i) => partitions[i] == values[v])]);
            var literal = values[v] is { } value ? $"'{value.Replace("'", "''", StringComparison.Ordinal)}'" : "NULL";
            parts.Add($"SELECT CAST({literal} AS {text}) AS {Store}, raw_{v}.* FROM raw_{v}");
        }

        await TransactionTable.ExecuteAsync(connection, $"CREATE TABLE {table.Name.ToSql(dialect)} AS {string.Join(" UNION ALL ", parts)}");

        var separate = new Dictionary<string, SqlTableName>(StringComparer.Ordinal);
        var groups = values.Select((value, v) => (Name: string.IsNullOrWhiteSpace(value) ? string.Empty : value, Table: $"raw_{v}")).GroupBy(x => x.Name, StringComparer.Ordinal);
        foreach (var (group, k) in groups.Select((g, k) => (g, k)))
        {
            var part = new SqlTableName($"partition_{k}");
            await TransactionTable.ExecuteAsync(connection, $"CREATE TABLE {part.ToSql(dialect)} AS {string.Join(" UNION ALL ", group.Select(x => $"SELECT * FROM {x.Table}"))}");
            separate.Add(group.Key, part);
        }

        return separate;
    }
}
