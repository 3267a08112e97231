using System.Globalization;
using DuckDB.NET.Data;

namespace Rfm.Cli.Tests;

/// <summary>
/// <c>rfm sql</c> prints the pipeline the library writes, and <c>rfm analyze --engine duckdb</c> runs it inside DuckDB
/// with the in-memory engine's result; what the DuckDB engine cannot honour is a usage error.
/// </summary>
public sealed class SqlTests
{
    [Fact]
    public void Sql_PrintsTheLibrarysStatement_WithItsParameters()
    {
        var run = Cli.Invoke("sql", "--dialect", "duckdb", "--table", "sales.orders", "--as-of", "2011-12-10", "--preset", "tutorial", "--customer", "client");

        Assert.True(run.ExitCode == 0, run.Error);
        var expected = new Rfm.Sql.RfmSqlGenerator(Rfm.Sql.SqlDialect.DuckDb, RfmCalculator.Tutorial)
            .Query(new Rfm.Sql.SqlTableName("sales", "orders"), TransactionColumns.OnlineRetail with { Customer = "client" }, new DateTime(2011, 12, 10))
            .Customers.ToScript();
        Assert.EndsWith(expected, run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.StartsWith("-- rfm sql: duckdb, as of 2011-12-10 00:00:00, R quantile, F rank-quantile, M quantile into 5 scores, segments 'classic'", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cancellation-prefix", "R")]
    [InlineData("--cancellation-contains", "R")]
    [InlineData("--keep-cancellations", null)]
    public void Sql_CancellationOptions_WriteTheRuleAnalyzeUses(string option, string? text)
    {
        var run = Cli.Invoke(["sql", "--dialect", "duckdb", "--table", "orders", "--as-of", "2011-12-10", option, .. text is null ? Array.Empty<string>() : [text]]);

        Assert.True(run.ExitCode == 0, run.Error);
        var rule = text is null ? CancellationRule.None : option == "--cancellation-prefix" ? CancellationRule.OrderIdStartsWith(text) : CancellationRule.OrderIdContains(text);
        var calculator = new RfmCalculator(policy: TransactionPolicy.Default with { Cancellations = rule });
        var expected = new Rfm.Sql.RfmSqlGenerator(Rfm.Sql.SqlDialect.DuckDb, calculator)
            .Query(new Rfm.Sql.SqlTableName("orders"), TransactionColumns.OnlineRetail, new DateTime(2011, 12, 10))
            .Customers.ToScript();
        Assert.EndsWith(expected, run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_CreateTable_RunsInDuckDb_AndGivesTheAnalyzeResult()
    {
        var script = Cli.Invoke("sql", "--dialect", "duckdb", "--table", "online_retail", "--as-of", "2011-12-11", "--preset", "tutorial", "--create-table", "rfm_result");
        Assert.True(script.ExitCode == 0, script.Error);

        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using (var load = connection.CreateCommand())
        {
            load.CommandText = $"CREATE TABLE online_retail AS SELECT * FROM read_csv('{Cli.BundledData}', header = true, columns = {{'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DECIMAL(18, 3)', 'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DECIMAL(18, 4)', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'}})";
            await load.ExecuteNonQueryAsync();
        }

        await using (var create = ScriptCommand(connection, script.Out))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT customer_id, recency, frequency, monetary, r_score, f_score, m_score, segment FROM rfm_result ORDER BY customer_id";
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(',', reader.GetString(0), reader.GetValue(1), reader.GetValue(2), reader.GetDecimal(3).ToString("G29", CultureInfo.InvariantCulture), reader.GetValue(4), reader.GetValue(5), reader.GetValue(6), reader.GetString(7)));
        }

        Assert.Equal(GoldenByValue(), rows);
    }

    [Fact]
    public void Analyze_DuckDbEngine_GivesTheInMemoryResult()
    {
        var folder = Cli.TempFolder();
        var memory = Cli.Invoke("analyze", Cli.BundledData, "--as-of", "2011-12-11", "--out", Path.Combine(folder, "memory.csv"), "--quiet");
        var duckdb = Cli.Invoke("analyze", Cli.BundledData, "--as-of", "2011-12-11", "--engine", "duckdb", "--out", Path.Combine(folder, "duckdb.csv"), "--quiet");

        Assert.True(memory.ExitCode == 0, memory.Error);
        Assert.True(duckdb.ExitCode == 0, duckdb.Error);
        Assert.Equal(ByValue(File.ReadAllLines(Path.Combine(folder, "memory.csv"))), ByValue(File.ReadAllLines(Path.Combine(folder, "duckdb.csv"))));
        Assert.Equal(WithoutTrailingZeros(memory.Out), WithoutTrailingZeros(duckdb.Out));
    }

    // The header settles the delimiter (commas outside quotes here, semicolons only inside): DuckDB is given it, rather
    // than guessing one of its own from rows full of quoted semicolons.
    [Theory]
    [InlineData(null)]
    [InlineData(",")]
    public void Analyze_DuckDbEngine_ReadsWithTheDelimiterTheHeaderWasReadWith(string? delimiter)
    {
        var folder = Cli.TempFolder();
        var file = Path.Combine(folder, "orders.csv");
        File.WriteAllText(file, "\"note;a;b;c;d;e\",customer,day,amount\n\"x;1;2;3\",a,2011-01-01,10.5\n\"y;4;5;6\",b,2011-01-02,3\n\"z;7;8\",a,2011-01-03,1.25\n");
        string[] options = ["--customer", "customer", "--date", "day", "--amount", "amount", "--as-of", "2011-02-01", "--quiet", .. delimiter is null ? Array.Empty<string>() : ["--delimiter", delimiter]];

        var memory = Cli.Invoke(["analyze", file, .. options, "--out", Path.Combine(folder, "memory.csv")]);
        var duckdb = Cli.Invoke(["analyze", file, .. options, "--engine", "duckdb", "--out", Path.Combine(folder, "duckdb.csv")]);

        Assert.True(memory.ExitCode == 0, memory.Error);
        Assert.True(duckdb.ExitCode == 0, duckdb.Error);
        Assert.Equal(ByValue(File.ReadAllLines(Path.Combine(folder, "memory.csv"))), ByValue(File.ReadAllLines(Path.Combine(folder, "duckdb.csv"))));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "duckdb.csv")).Length);
    }

    [Fact]
    public void Analyze_DuckDbEngine_WithoutAsOf_MeasuresFromTheMidnightAfterTheLastPurchase()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--engine", "duckdb", "--preset", "tutorial", "--quiet", "--out", Path.Combine(Cli.TempFolder(), "out.csv"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("as of 2011-12-10 00:00", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_DuckDbEngine_NamesTheLineOfAValueItCannotRead()
    {
        var file = Path.Combine(Cli.TempFolder(), "orders.csv");
        File.WriteAllText(file, "customer,day,amount\na,2011-01-01,10.5\nb,2011-01-02,1.12.3\n");

        var run = Cli.Invoke("analyze", file, "--customer", "customer", "--date", "day", "--amount", "amount", "--engine", "duckdb");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 3, column 'amount'", run.Error, StringComparison.Ordinal);
        Assert.Contains("'1.12.3'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_DuckDbEngine_NamesTheFilesColumnOfARowWithoutADate()
    {
        var file = Path.Combine(Cli.TempFolder(), "orders.csv");
        File.WriteAllText(file, "customer,day,amount\na,2011-01-01,10.5\nb,,3\n");

        var run = Cli.Invoke("analyze", file, "--customer", "customer", "--date", "day", "--amount", "amount", "--engine", "duckdb");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 3, column 'day'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_UnknownEngine_IsAUsageError()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--engine", "spark");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rfm: --engine 'spark': use memory or duckdb.", run.OneLineError());
    }

    // The tool reads the file, not DuckDB: characters DuckDB would expand as a pattern of files are only a name.
    [Fact]
    public void Analyze_DuckDbEngine_PathWithPatternCharacters_IsReadAsItsName()
    {
        var file = Path.Combine(Cli.TempFolder(), "orders[1]*?.csv");
        File.WriteAllText(file, "customer,day,amount\na,2011-01-01,10.5\n");

        var run = Cli.Invoke("analyze", file, "--customer", "customer", "--date", "day", "--amount", "amount", "--engine", "duckdb", "--as-of", "2011-01-03", "--quiet", "--out", "-");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("customer_id,recency,frequency,monetary,r,f,m,segment\na,2,1,10.5,", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    // The loaded table names its columns by role, so a file's column name never reaches SQL.
    [Fact]
    public void Analyze_DuckDbEngine_ColumnNameWithALineBreak_IsRead()
    {
        var file = Path.Combine(Cli.TempFolder(), "orders.csv");
        File.WriteAllText(file, "\"cust\nomer\",day,amount\na,2011-01-01,10.5\n");

        var run = Cli.Invoke("analyze", file, "--customer", "cust\nomer", "--date", "day", "--amount", "amount", "--engine", "duckdb", "--as-of", "2011-01-03", "--quiet", "--out", "-");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("customer_id,recency,frequency,monetary,r,f,m,segment\na,2,1,10.5,", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    // A quote, a semicolon or a line break in the file name is only a name: the tool opens the file, DuckDB never sees its path.
    [Fact]
    public void Analyze_DuckDbEngine_FileNameWithQuotesAndALineBreak_IsReadAsItsName()
    {
        var file = Path.Combine(Cli.TempFolder(), "it's\"; DROP TABLE raw_rows; --\nx.csv");
        File.WriteAllText(file, "customer,day,amount\na,2011-01-01,10.5\nb,2011-01-02,3\n");

        var run = Cli.Invoke("analyze", file, "--customer", "customer", "--date", "day", "--amount", "amount", "--engine", "duckdb", "--as-of", "2011-01-03", "--quiet", "--out", "-");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("customer_id,recency,frequency,monetary,r,f,m,segment\na,2,1,10.5,", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timestamptz", Rfm.Sql.SqlDateType.TimestampWithTimeZone)]
    [InlineData("text", Rfm.Sql.SqlDateType.Text)]
    public void Sql_DateType_PrintsTheStatementForThatColumnType(string option, Rfm.Sql.SqlDateType dateType)
    {
        var run = Cli.Invoke("sql", "--dialect", "postgres", "--table", "orders", "--as-of", "2011-12-10", "--date-type", option);

        Assert.True(run.ExitCode == 0, run.Error);
        var expected = new Rfm.Sql.RfmSqlGenerator(Rfm.Sql.SqlDialect.PostgreSql)
            .Query(new Rfm.Sql.SqlTableName("orders"), TransactionColumns.OnlineRetail, new DateTime(2011, 12, 10), dateType)
            .Customers.ToScript();
        Assert.EndsWith(expected, run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"date column {option}", run.Out, StringComparison.Ordinal);
        Assert.NotEqual(new Rfm.Sql.RfmSqlGenerator(Rfm.Sql.SqlDialect.PostgreSql).Query(new Rfm.Sql.SqlTableName("orders"), TransactionColumns.OnlineRetail, new DateTime(2011, 12, 10)).Customers.Text, expected);
    }

    [Theory]
    [InlineData("--date-type", "datetime", "--date-type: 'datetime' is not a date column type")]
    [InlineData("--dialect", "oracle", "Unknown SQL dialect 'oracle'")]
    [InlineData("--table", "a..b", "--table")]
    [InlineData("--create-table", "x\u0001y", "control character")]
    public void Sql_BadOptions_AreUsageErrors(string option, string value, string message)
    {
        var options = new Dictionary<string, string> { ["--dialect"] = "postgres", ["--table"] = "orders", ["--as-of"] = "2011-12-10", [option] = value };

        var run = Cli.Invoke(["sql", .. options.SelectMany(o => new[] { o.Key, o.Value })]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_Replace_WithoutCreateTable_IsAUsageError()
    {
        var run = Cli.Invoke("sql", "--dialect", "duckdb", "--table", "orders", "--as-of", "2011-12-10", "--replace");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--replace needs --create-table", run.OneLineError(), StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    public static TheoryData<string, string> DialectsAndForms()
    {
        var data = new TheoryData<string, string>();
        foreach (var dialect in new[] { "duckdb", "postgres", "spark" })
        {
            foreach (var form in new[] { string.Empty, "--ingestion", "--create-table rfm_result", "--create-table rfm_result --replace" })
            {
                data.Add(dialect, form);
            }
        }

        return data;
    }

    // The map's name is printed in the script's first comment; every text of the map tries to end what holds it.
    [Theory]
    [MemberData(nameof(DialectsAndForms))]
    public async Task Sql_HostileSegmentMapText_StaysInItsComment(string dialectName, string form)
    {
        var map = Path.Combine(Cli.TempFolder(), "map.json");
        File.WriteAllText(map, """
            {
              "name": "evil\nDROP TABLE users; --",
              "segments": [
                { "key": "top", "name": "x'\r\nDROP TABLE users; --", "description": "*/ DROP TABLE users; /*", "action": "\u2028DROP TABLE users;",
                  "channel": "\"; DROP TABLE users; --\\", "r": "4-5" }
              ],
              "other": { "key": "rest", "name": "\u0000\nDROP TABLE users; --" }
            }
            """);
        var dialect = Rfm.Sql.SqlDialect.Parse(dialectName);

        var run = Cli.Invoke(["sql", "--dialect", dialectName, "--table", "orders", "--as-of", "2011-12-10", "--segments", map, .. form.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.True(run.ExitCode == 0, run.Error);
        var statements = dialectName == "postgres" && form.EndsWith("--replace", StringComparison.Ordinal) ? 2 : 1;
        var script = Rfm.Sql.Tests.SqlScript.Read(run.Out, dialect);
        Assert.Equal(statements, script.Statements.Count);
        Assert.DoesNotContain("users", script.Code, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("segments 'evil\\u000ADROP TABLE users; --'", script.Comments[0], StringComparison.Ordinal);
        if (dialect == Rfm.Sql.SqlDialect.DuckDb)
        {
            Assert.Equal(statements, Rfm.Sql.Tests.SqlScript.DuckDbStatementCount(run.Out));
            await using var connection = new DuckDBConnection("DataSource=:memory:");
            await connection.OpenAsync();
            await using (var tables = connection.CreateCommand())
            {
                tables.CommandText = """
                    CREATE TABLE users (x INTEGER);
                    CREATE TABLE orders AS SELECT * FROM (VALUES ('1', '12345', TIMESTAMP '2011-01-01', 2.0::DECIMAL(18, 3), 1.5::DECIMAL(18, 4)))
                        AS t(InvoiceNo, CustomerID, InvoiceDate, Quantity, UnitPrice);
                    """;
                await tables.ExecuteNonQueryAsync();
            }

            await using (var command = ScriptCommand(connection, run.Out))
            {
                await command.ExecuteNonQueryAsync();
            }

            await using var users = connection.CreateCommand();
            users.CommandText = "SELECT COUNT(*) FROM users";
            Assert.Equal(0L, Convert.ToInt64(await users.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
    }

    // The script with its parameters bound from its comments, as a user pasting it into a console would.
    private static DuckDBCommand ScriptCommand(DuckDBConnection connection, string script)
    {
        var command = connection.CreateCommand();
        command.CommandText = script;
        foreach (var line in script.Split('\n').Where(l => l.StartsWith("-- $", StringComparison.Ordinal)))
        {
            var (name, value) = (line[4..line.IndexOf(" = ", StringComparison.Ordinal)], line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..]);
            command.Parameters.Add(new DuckDBParameter(name, value.StartsWith("TIMESTAMP ", StringComparison.Ordinal)
                ? DateTime.Parse(value[10..], CultureInfo.InvariantCulture)
                : System.Text.Json.JsonSerializer.Deserialize<string>(value)));
        }

        return command;
    }

    private static string WithoutTrailingZeros(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(\d\.\d*?)0+(?!\d)", "$1").Replace(".)", ")", StringComparison.Ordinal);

    private static List<string> GoldenByValue() => ByValue(File.ReadAllLines(Cli.Golden));

    // The rows with money compared by value: DuckDB keeps money at its column's scale, so 4310.00 comes back as 4310.
    private static List<string> ByValue(string[] lines) => [.. lines.Skip(1).Select(line =>
    {
        var fields = line.Split(',');
        fields[3] = decimal.Parse(fields[3], CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture);
        return string.Join(',', fields);
    })];
}
