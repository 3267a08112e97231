using System.Globalization;
using DuckDB.NET.Data;
using Rfm.Sql;

namespace Rfm.Cli.Engines;

/// <summary>
/// <c>rfm analyze --engine duckdb</c>: the file loaded into an in-process DuckDB database and the whole pipeline run
/// there as SQL (<see cref="RfmSqlGenerator"/>), giving the result the in-memory engine gives.
/// </summary>
internal static class DuckDbEngine
{
    // Money is read as exact decimals with up to six places; a value with more would be rounded, so it is an error.
    private const string MoneyType = "DECIMAL(18, 6)";

    // Read without a date, the latest purchase used decides the date, as in memory; SQL timestamps end a tick short
    // of DateTime.MaxValue, at its last whole microsecond.
    private static readonly DateTime OpenEnded = new(DateTime.MaxValue.Ticks - (DateTime.MaxValue.Ticks % TimeSpan.TicksPerMicrosecond));

    private static readonly SqlTableName Table = new("transactions");

    private static readonly TransactionColumns Loaded = new()
    {
        Customer = "customer_id", Order = "order_id", Timestamp = "purchased_at", Quantity = "quantity", UnitPrice = "unit_price",
    };

    private static readonly TransactionColumns LoadedWithAmount = new()
    {
        Customer = "customer_id", Order = "order_id", Timestamp = "purchased_at", Amount = "amount",
    };

    /// <summary>Loads the file, checks every value, and runs the pipeline as of <paramref name="asOf"/> or the midnight after the last purchase used.</summary>
    /// <exception cref="InputException">A value cannot be read exactly, a row has no date or money, or no customer is left.</exception>
    public static RfmResult Analyze(string path, string displayName, TransactionColumns columns, char delimiter, int threads, RfmCalculator calculator, DateTime? asOf)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {threads.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            Load(connection, path, displayName, columns, delimiter);
            var generator = new RfmSqlGenerator(SqlDialect.DuckDb, calculator);
            var tableColumns = columns.Amount is null ? Loaded : LoadedWithAmount;
            var measuredAt = asOf ?? NextMidnight(generator, tableColumns, connection, displayName);
            return generator.Query(Table, tableColumns, measuredAt).CalculateAsync(connection).GetAwaiter().GetResult();
        }
        catch (TransactionDataException ex)
        {
            // The loaded table names its columns by role; the message names the file's column.
            var column = ex.Column switch
            {
                "purchased_at" => columns.Timestamp.Name,
                "amount" => columns.Amount?.Name,
                _ => $"{columns.Quantity?.Name} or {columns.UnitPrice?.Name}",
            };
            throw new InputException($"{displayName}: column '{column}': {ex.Problem}.", ex);
        }
        catch (DuckDBException ex)
        {
            throw new InputException($"{displayName}: DuckDB could not read the file: {FirstLine(ex.Message)}", ex);
        }
    }

    // Only the columns the pipeline reads, as text first: every value is then checked before it is converted.
    private static void Load(DuckDBConnection connection, string path, string displayName, TransactionColumns columns, char delimiter)
    {
        // A name SQL cannot hold (one with a control character) is the engine's limit, not the file's fault.
        static string Q(string column)
        {
            try
            {
                return SqlDialect.DuckDb.QuoteIdentifier(column);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--engine duckdb: {ErrorMessages.Plain(ex)} Use the in-memory engine.");
            }
        }

        var roles = new List<(string Role, string Column, string? Type)>
        {
            ("customer_id", columns.Customer.Name!, null),
            ("purchased_at", columns.Timestamp.Name!, "TIMESTAMP"),
        };
        if (columns.Order is { Name: { } order })
        {
            roles.Add(("order_id", order, null));
        }

        if (columns.Amount is { Name: { } amount })
        {
            roles.Add(("amount", amount, MoneyType));
        }
        else
        {
            roles.Add(("quantity", columns.Quantity!.Value.Name!, MoneyType));
            roles.Add(("unit_price", columns.UnitPrice!.Value.Name!, MoneyType));
        }

        // Compressed or not by the file's first bytes, as the in-memory reader decides, not by its name.
        var options = $", compression = {Literal(IsGzip(path) ? "gzip" : "none")}, delim = {Literal(delimiter.ToString())}";
        Execute(
            connection,
            $"""
            CREATE TABLE raw_rows AS
            SELECT {string.Join(", ", roles.Select(r => $"{Q(r.Column)} AS {r.Role}"))}
            FROM read_csv({Literal(path)}, header = true, all_varchar = true{options})
            """);

        CheckValues(connection, displayName, [.. roles.Where(r => r.Type is not null)]);

        // Blank values are missing values, as in memory.
        var typed = roles.Select(r => r.Type is null ? r.Role : $"CAST(NULLIF(trim({r.Role}), '') AS {r.Type}) AS {r.Role}");
        var missingOrder = columns.Order is null ? ", CAST(NULL AS VARCHAR) AS order_id" : string.Empty;
        Execute(connection, $"CREATE TABLE {Table.ToSql(SqlDialect.DuckDb)} AS SELECT {string.Join(", ", typed)}{missingOrder} FROM raw_rows");
        Execute(connection, "DROP TABLE raw_rows");
    }

    // The first value that is not blank and does not convert exactly, named with its line: one pass over the rows.
    private static void CheckValues(DuckDBConnection connection, string displayName, IReadOnlyList<(string Role, string Column, string? Type)> checks)
    {
        // A number in plain notation with at most six decimal places (trailing zeros aside) converts exactly.
        static string Bad(string role, string type) => type == MoneyType
            ? $"(trim({role}) <> '' AND (TRY_CAST({role} AS {MoneyType}) IS NULL OR regexp_matches({role}, '[eE]') OR length(rtrim(split_part(trim({role}), '.', 2), '0')) > 6))"
            : $"(trim({role}) <> '' AND TRY_CAST({role} AS {type}) IS NULL)";

        var which = string.Join(" ", checks.Select(c => $"WHEN {Bad(c.Role, c.Type!)} THEN {Literal(c.Role)}"));
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT rowid, CASE {which} END AS role
            FROM raw_rows
            WHERE {string.Join(" OR ", checks.Select(c => Bad(c.Role, c.Type!)))}
            ORDER BY rowid
            LIMIT 1
            """;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return;
        }

        var row = reader.GetInt64(0);
        var (role, column, type) = checks.First(c => c.Role == reader.GetString(1));
        using var value = connection.CreateCommand();
        value.CommandText = $"SELECT {role} FROM raw_rows WHERE rowid = {row.ToString(CultureInfo.InvariantCulture)}";
        var problem = type == MoneyType
            ? $"not a number DuckDB reads exactly as {MoneyType} (plain notation, at most six decimal places); use the in-memory engine"
            : "not an ISO 8601 timestamp such as 2011-12-09 12:50:00";
        throw new InputException($"{displayName}: line {row + 2}, column '{column}': {problem} (value '{value.ExecuteScalar()}').");
    }

    private static DateTime NextMidnight(RfmSqlGenerator generator, TransactionColumns columns, DuckDBConnection connection, string displayName)
    {
        var outcome = generator.Query(Table, columns, OpenEnded).ReadIngestionAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
        if (outcome.LatestUsed is not { } latest)
        {
            throw Commands.TransactionInput.NoCustomer(displayName, outcome.Summary(customers: 0));
        }

        return latest.Date == OpenEnded.Date ? OpenEnded : latest.Date.AddDays(1);
    }

    private static bool IsGzip(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // A DuckDB string literal: standard SQL, where a quote is doubled and nothing else is special.
    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
