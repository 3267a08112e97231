using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Npgsql;
using Rfm.Segmentation;
using Rfm.Sql.Tests.Engines;
using Rfm.Sql.Tests.Spark;

namespace Rfm.Sql.Tests;

/// <summary>
/// Every text a caller gives that reaches a script (table, column and target names, the cancellation text, the segment
/// map's name and texts, the script's comments) fed with line breaks of every kind, quotes of every kind, comment
/// markers, semicolons and control characters, in every dialect and every statement: the script holds exactly the
/// statements it should, and a table named victim survives running it.
/// </summary>
public sealed class HostileTextTests
{
    // Each tries to end what holds it and drop the table victim.
    public static TheoryData<string> HostileTexts => new()
    {
        "x\nDROP TABLE victim; --",
        "x\rDROP TABLE victim; --",
        "x\r\nDROP TABLE victim; --",
        "x\u0085DROP TABLE victim; --",
        "x\u2028DROP TABLE victim; --",
        "x\u2029DROP TABLE victim; --",
        "x\v\fDROP TABLE victim; --",
        "x\0\nDROP TABLE victim; --",
        "x'; DROP TABLE victim; --",
        "x\"; DROP TABLE victim; --",
        "x`; DROP TABLE victim; --",
        "x */ DROP TABLE victim; /*",
        "x $$; DROP TABLE victim; $$",
        "x\\'; DROP TABLE victim; --",
        "x \\",
        "x\u001b]0;pwned\a\u001b[2J\u202e\ud800",
    };

    public static TheoryData<string, string> HostileTextsInEveryDialect()
    {
        var data = new TheoryData<string, string>();
        foreach (var dialect in SqlDialect.All)
        {
            foreach (var text in HostileTexts)
            {
                data.Add(dialect.Name, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileTextsInEveryDialect))]
    public void Script_HostileText_StaysInItsCommentQuotesOrParameter(string dialectName, string text) =>
        CheckScripts(SqlDialect.Parse(dialectName), text);

    // Any mix of quotes, comment markers, semicolons, line breaks and other control or format characters.
    public static Arbitrary<string> AnyText() => Arb.From(
        Gen.ArrayOf(Gen.OneOf(
                Gen.Elements("'", "\"", "`", "--", "/*", "*/", ";", "$$", "\\", "DROP TABLE victim", " ", "a", "é", "😀", "\r\n"),
                Gen.Elements(Enumerable.Range(0, 0xA0).Where(c => char.IsControl((char)c)).Concat([0x2028, 0x2029, 0x200B, 0x202E, 0xFEFF, 0xD800, 0xDC00]).Select(c => ((char)c).ToString()).ToArray())))
            .Where(parts => parts.Length is > 0 and <= 12)
            .Select(string.Concat));

    [Property(MaxTest = 1000, Arbitrary = [typeof(HostileTextTests)])]
    public void Script_AnyText_StaysInItsCommentQuotesOrParameter_AndReadsBack(string text)
    {
        foreach (var dialect in SqlDialect.All)
        {
            CheckScripts(dialect, text);
        }
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task DuckDb_HostileText_RunsAsExactlyTheExpectedStatements(string text)
    {
        var dialect = SqlDialect.DuckDb;
        await using var connection = await DuckDb.OpenAsync();
        await CreateTablesAsync(connection, dialect, text);
        foreach (var (form, statement) in Forms(Query(dialect, text), dialect, text))
        {
            var script = statement.ToScript(Comments(text));
            Assert.True(Expected(dialect, form) == SqlScript.DuckDbStatementCount(script), form);

            await using var command = statement.CreateCommand(connection);
            command.CommandText = script;
            await CheckRunAsync(connection, dialect, text, form, command);
        }
    }

    // Each statement of the script is sent as one prepared statement, which PostgreSQL refuses to hold two.
    [PostgresTheory]
    [MemberData(nameof(HostileTexts))]
    public async Task PostgreSql_HostileText_RunsAsExactlyTheExpectedStatements(string text)
    {
        var dialect = SqlDialect.PostgreSql;
        await using var scope = await PostgresServer.OpenScopeAsync();
        await CreateTablesAsync(scope.Connection, dialect, text);
        foreach (var (form, statement) in Forms(Query(dialect, text), dialect, text))
        {
            var pieces = SqlScript.Read(statement.ToScript(Comments(text)), dialect).Statements;
            Assert.True(Expected(dialect, form) == pieces.Count, form);

            await using var batch = new NpgsqlBatch(scope.Connection);
            await using var parameters = (NpgsqlCommand)statement.CreateCommand(scope.Connection);
            foreach (var piece in pieces)
            {
                var command = new NpgsqlBatchCommand(piece);
                foreach (NpgsqlParameter parameter in parameters.Parameters)
                {
                    if (piece.Contains(dialect.Parameter(parameter.ParameterName), StringComparison.Ordinal))
                    {
                        command.Parameters.Add(parameter.Clone());
                    }
                }

                batch.BatchCommands.Add(command);
            }

            await CheckRunAsync(scope.Connection, dialect, text, form, batch);
        }
    }

    // Spark SQL cannot run here: its grammar reads every script instead, all in one batch.
    [SparkGrammarFact]
    public void SparkSql_HostileText_ParsesAsExactlyOneStatement()
    {
        var scripts = (
            from object[] row in HostileTexts
            let text = (string)row[0]
            from form in Forms(Query(SqlDialect.SparkSql, text), SqlDialect.SparkSql, text)
            select (Label: $"{form.Form} with {JsonSerializer.Serialize(text)}", Script: form.Statement.ToScript(Comments(text)))).ToArray();

        var parsed = SparkGrammar.Parse([.. scripts.Select(s => s.Script)]);

        for (var i = 0; i < scripts.Length; i++)
        {
            Assert.True(parsed[i] is { Statements: 1, Errors: [] }, $"{scripts[i].Label}: {parsed[i].Statements} statements; {string.Join("; ", parsed[i].Errors)}");
        }
    }

    // Built from char codes: a test runner may replace half a surrogate pair in an attribute's text.
    [Fact]
    public void Generator_CancellationTextWithNulOrLoneSurrogate_IsRefused()
    {
        foreach (var (text, shown) in new[] { ("C\0X", "'C\\u0000X'"), ("C" + (char)0xD800 + "X", "'C\\uD800X'"), ("C" + (char)0xDC00, "'C\\uDC00'") })
        {
            var calculator = new RfmCalculator(TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdStartsWith(text) });
            foreach (var dialect in SqlDialect.All)
            {
                var error = Assert.Throws<NotSupportedException>(() => new RfmSqlGenerator(dialect, calculator));

                Assert.Contains("SQL text cannot hold", error.Message, StringComparison.Ordinal);
                Assert.Contains(shown, error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void ToScript_Comments_AreEscapedOntoOneLineEach()
    {
        var statement = new RfmSqlGenerator(SqlDialect.SparkSql).Query(new SqlTableName("t"), TransactionColumns.OnlineRetail, new DateTime(2011, 1, 1)).Ingestion;

        var script = statement.ToScript("a\nb\r\u2028\0 \\", "Grüße ☃ 😀 'x' \"y\" -- /* */");

        Assert.StartsWith("-- a\\u000Ab\\u000D\\u2028\\u0000 \\u005C\n-- Grüße ☃ 😀 'x' \"y\" -- /* */\n-- :whitespace = ", script, StringComparison.Ordinal);
    }

    private static readonly DateTime AsOf = new(2011, 3, 1);

    // Every statement's script: the statements expected, no input outside comments, quotes and parameters, one comment
    // line per comment, and the first comment read back to the text.
    private static void CheckScripts(SqlDialect dialect, string text)
    {
        foreach (var (form, statement) in Forms(Query(dialect, text), dialect, text))
        {
            var script = SqlScript.Read(statement.ToScript(Comments(text)), dialect);

            Assert.True(Expected(dialect, form) == script.Statements.Count, $"{form}: {script.Statements.Count} statements");
            Assert.DoesNotContain("victim", script.Code, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Comments(text).Length + statement.Parameters.Length + SqlScript.Read(statement.Text + ";", dialect).Comments.Count, script.Comments.Count);
            Assert.Equal(text, Regex.Replace(script.Comments[0][1..], @"\\u([0-9A-F]{4})", m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString()));
        }
    }

    // The same text as a name has no control character (a name with one is refused, as HostileNameTests shows) and
    // fits PostgreSQL's 63 bytes with a suffix.
    private static string AsName(string text)
    {
        var name = new StringBuilder();
        foreach (var c in text.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)))
        {
            if (Encoding.UTF8.GetByteCount(name.ToString() + c) > 50)
            {
                break;
            }

            name.Append(c);
        }

        return name.Length > 0 ? name.ToString() : "x";
    }

    private static string[] Comments(string text) => [text, "map " + text];

    // A value has no NUL (refused, as Generator_CancellationTextWithNulOrLoneSurrogate_IsRefused shows) and no lone surrogate, which
    // is not text a driver can send.
    private static string AsValue(string text) => "C" + new string([.. text.Where(c => c != '\0' && !char.IsSurrogate(c))]);

    private static RfmSqlQuery Query(SqlDialect dialect, string text)
    {
        var table = Table(text);
        var texts = "map " + text;
        var top = new Segment("top", texts, texts, texts, texts);
        var map = SegmentMaps.FromRules(texts, [new SegmentRule(top, new ScoreRange(4, 5), ScoreRange.Any)], new Segment("rest", texts, texts, texts, texts));
        var calculator = new RfmCalculator(TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdStartsWith(AsValue(text)) }, segmentMap: map);
        return new RfmSqlGenerator(dialect, calculator).Query(table.Name, table.Columns, AsOf);
    }

    private static TransactionTable Table(string text)
    {
        var name = AsName(text);
        return new TransactionTable(new SqlTableName(name), name + " c", name + " o", name + " t", name + " q", name + " p");
    }

    private static SqlTableName Target(string text) => new(AsName(text) + " result");

    // In this order, the table is created, then replaced.
    private static IEnumerable<(string Form, SqlStatement Statement)> Forms(RfmSqlQuery query, SqlDialect dialect, string text)
    {
        yield return ("customers", query.Customers);
        yield return ("ingestion", query.Ingestion);
        yield return ("create table", query.CreateTable(Target(text)));
        yield return ("create or replace table", query.CreateTable(Target(text), replace: true));
    }

    // PostgreSQL replaces a table by dropping it first, in a statement of its own.
    private static int Expected(SqlDialect dialect, string form) => form == "create or replace table" && dialect == SqlDialect.PostgreSql ? 2 : 1;

    private static async Task CreateTablesAsync(DbConnection connection, SqlDialect dialect, string text)
    {
        await TransactionTable.ExecuteAsync(connection, "CREATE TABLE victim (x INTEGER)");
        await Table(text).CreateAsync(connection, dialect, Rows(text));
    }

    // The query forms return one row per customer or per outcome; the create forms make the table; victim survives.
    private static async Task CheckRunAsync(DbConnection connection, SqlDialect dialect, string text, string form, object command)
    {
        var rows = 0;
        var reader = command is DbBatch batch ? await batch.ExecuteReaderAsync() : await ((DbCommand)command).ExecuteReaderAsync();
        await using (reader)
        {
            do
            {
                while (await reader.ReadAsync())
                {
                    rows++;
                }
            }
            while (await reader.NextResultAsync());
        }

        Assert.True(rows == form switch { "customers" => 3, "ingestion" => 2, _ => 0 }, $"{form}: {rows} rows");
        if (form.StartsWith("create", StringComparison.Ordinal))
        {
            Assert.Equal(3L, await ScalarAsync(connection, $"SELECT COUNT(*) FROM {Target(text).ToSql(dialect)}"));
        }

        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM victim"));
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // Three customers; one order of b starts with the cancellation text, so the ingestion has two outcomes.
    private static TestRow[] Rows(string text) =>
    [
        new("a", "1", new DateTime(2011, 1, 3, 10, 0, 0), 2m, 1.5m),
        new("b", AsValue(text) + "7", new DateTime(2011, 1, 5), 1m, 4m),
        new("b", "3", new DateTime(2011, 1, 9), 3m, 2.25m),
        new("c", null, new DateTime(2011, 2, 27, 23, 59, 59), 1m, 99m),
    ];
}
