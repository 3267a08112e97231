using System.Data;
using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Rfm.Sql;

namespace Rfm.Cli.Tests.Parity;

/// <summary>
/// Every engine, each given a case the way it reads rows: values made by the row contract, columns, a data reader of
/// strings, the CSV file (fast reader, the tool's default engine, <c>--engine duckdb</c>), and SQL tables in DuckDB and
/// PostgreSQL with the date as TEXT, TIMESTAMP and TIMESTAMPTZ. An engine that cannot be given a case returns null.
/// </summary>
internal static class ParityEngines
{
    public const string Typed = "Add(ITransaction)";
    public const string Columnar = "AddColumns";
    public const string DataReader = "Add(IDataReader)";
    public const string FastCsv = "Utf8CsvIngestion";
    public const string CliMemory = "rfm analyze";
    public const string CliDuckDb = "rfm analyze --engine duckdb";

    /// <summary>The PostgreSQL session time zones every PostgreSQL leg runs under.</summary>
    public static readonly string[] TimeZones = ["UTC", "America/New_York", "Asia/Kathmandu"];

    private static readonly SqlTableName Table = new("parity_rows");

    /// <summary>Whether the engines that take one amount per row can be given the case: with quantity and price, a policy that excludes non-positive rows tells a non-positive factor from a non-positive product, which they cannot see.</summary>
    private static bool TakesAmounts(ParityCase c, RowValues values) =>
        c.AmountLayout || !c.Policy.ExcludeNonPositive || values.Rows.All(r => r.Quantity is not <= 0m && r.Price is not <= 0m);

    private static Outcome? BeforeEngine(string engine, ParityCase c, RowValues values)
    {
        if (values.Bad.Count > 0)
        {
            return new Outcome(engine, null, null, $"the row contract refuses {values.Bad[0]}") { RefusedBeforeEngine = true };
        }

        return TakesAmounts(c, values) ? null : new Outcome(engine, null, null, null);
    }

    /// <summary><see cref="RfmAccumulator.Add{T}(in T)"/> with each row's texts made into a <see cref="Transaction"/>, the ids exactly as written (blank ones too; null only without an order column).</summary>
    public static Outcome? AddTransactions(ParityCase c, RowValues values)
    {
        if (BeforeEngine(Typed, c, values) is { } early)
        {
            return early.Refused ? early : null;
        }

        var accumulator = new RfmAccumulator(c.AsOf, c.Policy);
        return Run(Typed, () =>
        {
            foreach (var row in values.Rows)
            {
                accumulator.Add(new Transaction(row.Customer, c.HasOrder ? row.Order : null, row.Date!.Value, row.Amount!.Value));
            }

            return Outcome.Of(Typed, accumulator.Snapshot());
        });
    }

    /// <summary><see cref="RfmAccumulator.AddColumns"/> with the ids as written and the dates and money as values.</summary>
    public static Outcome? AddColumns(ParityCase c, RowValues values)
    {
        if (BeforeEngine(Columnar, c, values) is { } early)
        {
            return early.Refused ? early : null;
        }

        var accumulator = new RfmAccumulator(c.AsOf, c.Policy);
        return Run(Columnar, () =>
        {
            string?[] customers = [.. values.Rows.Select(r => r.Customer)];
            string?[] orders = c.HasOrder ? [.. values.Rows.Select(r => r.Order)] : [];
            DateTime[] dates = [.. values.Rows.Select(r => r.Date!.Value)];
            decimal[] amounts = [.. values.Rows.Select(r => r.Amount!.Value)];
            accumulator.AddColumns(customers, orders, dates, amounts);
            return Outcome.Of(Columnar, accumulator.Snapshot());
        });
    }

    /// <summary><see cref="RfmAccumulator.Add(IDataReader, TransactionColumns, IProgress{long}?, CancellationToken)"/> over a table of the texts.</summary>
    public static Outcome AddDataReader(ParityCase c)
    {
        using var table = new DataTable();
        foreach (var column in c.Columns)
        {
            table.Columns.Add(column.Header, typeof(string));
        }

        foreach (var row in c.Rows)
        {
            table.Rows.Add([.. row]);
        }

        var accumulator = new RfmAccumulator(c.AsOf, c.Policy);
        return Run(DataReader, () =>
        {
            using var reader = table.CreateDataReader();
            accumulator.Add(reader, c.TransactionColumns);
            return Outcome.Of(DataReader, accumulator.Snapshot());
        }) with { GivenText = true };
    }

    /// <summary>The fast UTF-8 reader over the file; null when it declines the file.</summary>
    public static Outcome? ReadFast(ParityCase c, string path)
    {
        var accumulator = new RfmAccumulator(c.AsOf, c.Policy);
        var read = true;
        var outcome = Run(FastCsv, () =>
        {
            read = Utf8CsvIngestion.TryReadFile(path, c.Header, [','], c.TransactionColumns, accumulator, threads: 2, progress: null, CancellationToken.None);
            return Outcome.Of(FastCsv, accumulator.Snapshot());
        });
        return read ? outcome with { GivenText = true } : null;
    }

    /// <summary><c>rfm analyze FILE --out OUT.json</c> in process, with the tool's default engine or <c>--engine duckdb</c>.</summary>
    public static Outcome Analyze(ParityCase c, string path, bool duckDb)
    {
        var engine = duckDb ? CliDuckDb : CliMemory;
        var output = Path.ChangeExtension(path, duckDb ? ".duckdb.json" : ".memory.json");
        List<string> args =
        [
            "analyze", path, "--out", output, "--as-of", c.AsOfText, "--preset", c.Tutorial ? "tutorial" : "default", "--quiet",
            "--customer", ParityCase.Name(Role.Customer), "--date", ParityCase.Name(Role.Date),
        ];
        if (c.HasOrder)
        {
            args.AddRange(["--order", ParityCase.Name(Role.Order)]);
        }

        args.AddRange(c.AmountLayout
            ? ["--amount", ParityCase.Name(Role.Amount)]
            : ["--quantity", ParityCase.Name(Role.Quantity), "--price", ParityCase.Name(Role.Price)]);
        if (duckDb)
        {
            args.AddRange(["--engine", "duckdb"]);
        }

        var run = Cli.Invoke([.. args]);
        if (run.ExitCode == 0)
        {
            return Outcome.FromJson(engine, File.ReadAllText(output));
        }

        var error = run.Error.Trim();

        // The tool refuses to score nobody; the other engines give an empty result, whose account this message states.
        return error.Contains("no customer to analyse", StringComparison.Ordinal)
            ? new Outcome(engine, [], null, null) { GivenText = true }
            : Outcome.Refusal(engine, error) with { GivenText = true };
    }

    /// <summary>
    /// The pipeline as SQL over a table holding the case's rows: ids and notes as text, money as exact numbers, the date
    /// as <paramref name="dateType"/> (the texts themselves for <see cref="SqlDateType.Text"/>, else the contract's values,
    /// read as UTC). Null when the engine cannot hold the case (PostgreSQL text cannot hold U+0000; DuckDB's DECIMAL(38)
    /// cannot hold both a 29-digit amount and more than nine decimal places). DuckDB is given the texts as literals,
    /// since it binds a text parameter only up to its first U+0000.
    /// </summary>
    public static async Task<IReadOnlyList<Outcome>?> SqlAsync(ParityCase c, RowValues values, DbConnection connection, SqlDialect dialect, SqlDateType dateType, IReadOnlyList<string> timeZones)
    {
        var name = $"{dialect.Name} {dateType}";
        if (dialect == SqlDialect.PostgreSql && c.Rows.Any(r => r.Any(t => t.Contains('\0', StringComparison.Ordinal))))
        {
            return null;
        }

        // What the table cannot be given: a text that is no number in a money column, or no date in a typed date column.
        var unloadable = values.Bad.FirstOrDefault(b => !b.Missing && (b.Role != Role.Date || dateType != SqlDateType.Text));
        if (unloadable is not null)
        {
            return [.. timeZones.Select(zone => new Outcome($"{name} {zone}", null, null, $"the row contract refuses {unloadable}") { RefusedBeforeEngine = true })];
        }

        var moneyType = MoneyType(c, values, dialect);
        if (moneyType is null)
        {
            return null;
        }

        await LoadAsync(c, values, connection, dialect, dateType, moneyType);
        try
        {
            var outcomes = new List<Outcome>();
            foreach (var zone in timeZones)
            {
                // DuckDB keeps the zone it was opened with (UTC, see DuckDbHasTimeZonesAsync).
                if (dialect == SqlDialect.PostgreSql)
                {
                    await ExecuteAsync(connection, $"SET TIME ZONE '{zone}'");
                }

                var engine = $"{name} {zone}";
                var query = new RfmSqlGenerator(dialect, c.Calculator).Query(Table, c.TransactionColumns, c.AsOf, dateType);
                outcomes.Add(await RunAsync(engine, async () => Outcome.Of(engine, await query.CalculateAsync(connection))) with { GivenText = dateType == SqlDateType.Text, Sql = true });
            }

            return outcomes;
        }
        finally
        {
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Table.ToSql(dialect)}");
        }
    }

    // NUMERIC holds any of the case's numbers in PostgreSQL; DuckDB's widest decimal has 38 digits, split here so that
    // every number of the case fits exactly.
    private static string? MoneyType(ParityCase c, RowValues values, SqlDialect dialect)
    {
        if (dialect == SqlDialect.PostgreSql)
        {
            return "NUMERIC";
        }

        var numbers = values.Rows.SelectMany(r => new[] { r.Amount, r.Quantity, r.Price }).OfType<decimal>().ToList();
        var scale = numbers.Select(n => (int)n.Scale).DefaultIfEmpty(0).Max();
        var digits = numbers.Select(n => Math.Truncate(Math.Abs(n)).ToString(CultureInfo.InvariantCulture).Length).DefaultIfEmpty(1).Max();
        return digits + scale > 38 ? null : $"DECIMAL(38, {scale})";
    }

    private static async Task LoadAsync(ParityCase c, RowValues values, DbConnection connection, SqlDialect dialect, SqlDateType dateType, string moneyType)
    {
        var q = dialect.QuoteIdentifier;
        var text = dialect == SqlDialect.PostgreSql ? "TEXT" : "VARCHAR";
        string Type(Role role) => role switch
        {
            Role.Date => dateType switch
            {
                SqlDateType.Text => text,
                SqlDateType.Timestamp => "TIMESTAMP",
                _ => dialect == SqlDialect.PostgreSql ? "TIMESTAMPTZ" : "TIMESTAMP WITH TIME ZONE",
            },
            Role.Amount or Role.Quantity or Role.Price => moneyType,
            _ => text,
        };

        await ExecuteAsync(connection, $"CREATE TABLE {Table.ToSql(dialect)} ({string.Join(", ", c.Columns.Select(col => $"{q(col.Header)} {Type(col.Role)}"))})");
        await using var command = connection.CreateCommand();
        var rows = new List<string>();
        var parameters = 0;
        for (var r = 0; r < c.Rows.Count; r++)
        {
            var typed = values.Rows[r];
            var fields = new List<string>();
            for (var i = 0; i < c.Columns.Count; i++)
            {
                var role = c.Columns[i].Role;
                var value = role switch
                {
                    Role.Date when dateType != SqlDateType.Text => Timestamp(typed.Date, dateType),
                    Role.Amount => Number(typed.Amount, moneyType),
                    Role.Quantity => Number(typed.Quantity, moneyType),
                    Role.Price => Number(typed.Price, moneyType),
                    _ => null,
                };
                if (value is null && dialect == SqlDialect.DuckDb)
                {
                    // DuckDB binds a parameter's text up to its first U+0000; a literal keeps every character.
                    value = string.Join(" || chr(0) || ", c.Rows[r][i].Split('\0').Select(part => "'" + part.Replace("'", "''", StringComparison.Ordinal) + "'"));
                }

                if (value is null)
                {
                    var parameter = command.CreateParameter();
                    parameter.Value = c.Rows[r][i];
                    parameter.DbType = DbType.String;
                    command.Parameters.Add(parameter);
                    parameters++;
                    value = $"${parameters}";
                }

                fields.Add(value);
            }

            rows.Add($"({string.Join(", ", fields)})");
        }

        command.CommandText = $"INSERT INTO {Table.ToSql(dialect)} VALUES {string.Join(", ", rows)}";
        await command.ExecuteNonQueryAsync();
    }

    private static string Timestamp(DateTime? date, SqlDateType type) => date switch
    {
        null => "NULL",
        { } d when type == SqlDateType.Timestamp => $"CAST('{d:yyyy-MM-dd HH:mm:ss.ffffff}' AS TIMESTAMP)",
        { } d => $"CAST('{d:yyyy-MM-dd HH:mm:ss.ffffff}+00:00' AS TIMESTAMP WITH TIME ZONE)",
    };

    private static string Number(decimal? value, string type) =>
        value is { } v ? $"CAST('{v.ToString(CultureInfo.InvariantCulture)}' AS {type})" : "NULL";

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static Outcome Run(string engine, Func<Outcome> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.IAssertionException)
        {
            return Outcome.Refusal(engine, Describe(ex)) with { IsOverflowException = ex is OverflowException };
        }
    }

    private static async Task<Outcome> RunAsync(string engine, Func<Task<Outcome>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.IAssertionException)
        {
            return Outcome.Refusal(engine, Describe(ex)) with { IsOverflowException = ex is OverflowException };
        }
    }

    // The documented exceptions by their message; any other (a crash) by its type too, so that the report shows it.
    private static string Describe(Exception ex) =>
        ex is TransactionDataException or OverflowException or ArgumentException or InvalidDataException or DbException
            ? ex.Message
            : $"{ex.GetType().FullName}: {ex.Message}";

    /// <summary>Opens a new in-memory DuckDB database in process.</summary>
    public static async Task<DuckDBConnection> OpenDuckDbAsync()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Sets DuckDB's session time zone to UTC, and tells whether it could (time zones need its ICU extension).</summary>
    public static async Task<bool> DuckDbHasTimeZonesAsync(DuckDBConnection connection)
    {
        try
        {
            await ExecuteAsync(connection, "SET TimeZone = 'UTC'");
            return true;
        }
        catch (DuckDBException)
        {
            return false;
        }
    }
}
