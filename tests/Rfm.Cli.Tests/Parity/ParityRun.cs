using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Rfm.Cli.Output;
using Rfm.Sql;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Cli.Tests.Parity;

/// <summary>
/// Runs a case through every engine with one DuckDB connection and one PostgreSQL scope, and judges the outcomes:
/// the same customers and account everywhere, or a refusal everywhere that names the column (and the value, where the
/// engine was given the text), or, for a sum of money too large for a decimal, is an <see cref="OverflowException"/> or
/// names the customer (or, from SQL and the tool, the total of the account).
/// </summary>
internal sealed partial class ParityRun : IAsyncDisposable
{
    private readonly DuckDBConnection _duckDb;
    private readonly PostgresScope _postgres;
    private readonly bool _duckDbTimeZones;
    private readonly string _folder = Cli.TempFolder();
    private int _files;

    private ParityRun(DuckDBConnection duckDb, PostgresScope postgres, bool duckDbTimeZones)
    {
        _duckDb = duckDb;
        _postgres = postgres;
        _duckDbTimeZones = duckDbTimeZones;
    }

    public System.Data.Common.DbConnection PostgresConnection => _postgres.Connection;

    public static async Task<ParityRun> OpenAsync()
    {
        var duckDb = await ParityEngines.OpenDuckDbAsync();
        bool timeZones;
        try
        {
            timeZones = RunsDuckDbTimeZoneLegs(await ParityEngines.DuckDbHasTimeZonesAsync(duckDb), Environment.GetEnvironmentVariable("CI"));
        }
        catch
        {
            await duckDb.DisposeAsync();
            throw;
        }

        return new ParityRun(duckDb, await PostgresServer.OpenScopeAsync(), timeZones);
    }

    /// <summary>
    /// Whether the DuckDB TIMESTAMPTZ legs run: where DuckDB has time zones (its ICU extension). Without them the legs
    /// are left out, except in CI (<c>CI=true</c>), where every engine must run, as the PostgreSQL tests must find
    /// their server there: the run fails instead of passing with fewer engines.
    /// </summary>
    public static bool RunsDuckDbTimeZoneLegs(bool duckDbHasTimeZones, string? ci)
    {
        if (!duckDbHasTimeZones && ci is "true")
        {
            Assert.Fail("DuckDB has no time zones (its ICU extension is missing), so the parity test cannot run its TIMESTAMPTZ legs; in CI every engine must run.");
        }

        return duckDbHasTimeZones;
    }

    /// <summary>What every engine that can be given the case makes of it.</summary>
    public IReadOnlyList<Outcome> Outcomes(ParityCase c)
    {
        var values = RowValues.Of(c);
        var path = Path.Combine(_folder, $"case{++_files}.csv");
        File.WriteAllText(path, c.ToCsv(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        var outcomes = new List<Outcome?>();
        if (!c.IsStructural)
        {
            outcomes.Add(ParityEngines.AddTransactions(c, values));
            outcomes.Add(ParityEngines.AddColumns(c, values));
            outcomes.Add(ParityEngines.AddDataReader(c));
        }

        outcomes.Add(ParityEngines.ReadFast(c, path));
        outcomes.Add(ParityEngines.Analyze(c, path, duckDb: false));
        outcomes.Add(ParityEngines.Analyze(c, path, duckDb: true));
        if (!c.IsStructural)
        {
            foreach (var dateType in Enum.GetValues<SqlDateType>())
            {
                if (dateType != SqlDateType.TimestampWithTimeZone || _duckDbTimeZones)
                {
                    outcomes.AddRange(Sql(c, values, _duckDb, SqlDialect.DuckDb, dateType, ["UTC"]));
                }

                outcomes.AddRange(Sql(c, values, _postgres.Connection, SqlDialect.PostgreSql, dateType, ParityEngines.TimeZones));
            }
        }

        return [.. outcomes.OfType<Outcome>()];
    }

    private static IReadOnlyList<Outcome> Sql(ParityCase c, RowValues values, System.Data.Common.DbConnection connection, SqlDialect dialect, SqlDateType dateType, IReadOnlyList<string> zones) =>
        ParityEngines.SqlAsync(c, values, connection, dialect, dateType, zones).GetAwaiter().GetResult() ?? [];

    /// <summary>Runs the case and fails, showing the case, every outcome and every disagreement, unless the engines agree.</summary>
    public IReadOnlyList<Outcome> Check(ParityCase c)
    {
        var outcomes = Outcomes(c);
        var problems = Problems(c, outcomes);
        if (problems.Count > 0)
        {
            Assert.Fail($"The engines disagree on this case:\n{c}\nOutcomes:\n  {string.Join("\n  ", outcomes)}\nProblems:\n  {string.Join("\n  ", problems)}");
        }

        return outcomes;
    }

    /// <summary>Every disagreement among the outcomes, and every refusal that neither names its column and value nor refuses an overflow of money as <see cref="RefusesAnOverflow"/> asks.</summary>
    public static IReadOnlyList<string> Problems(ParityCase c, IReadOnlyList<Outcome> outcomes)
    {
        var problems = new List<string>();
        var results = outcomes.Where(o => !o.Refused).ToList();
        var refusals = outcomes.Where(o => o.Refused).ToList();
        if (results.Count > 0 && refusals.Count > 0 && !SqlReadsTotalsAtTheirScale(c, results, refusals))
        {
            problems.Add($"{string.Join(", ", refusals.Select(r => r.Engine))} refuse; {string.Join(", ", results.Select(r => r.Engine))} give a result");
        }

        if (results.Count > 1)
        {
            var reference = results.FirstOrDefault(r => r.Engine == ParityEngines.DataReader) ?? results[0];
            foreach (var other in results.Where(r => r != reference))
            {
                problems.AddRange(reference.Differences(other).Select(d => $"{reference.Engine} / {other.Engine}: {d}"));
            }
        }

        var values = RowValues.Of(c);
        foreach (var refusal in refusals.Where(r => !r.RefusedBeforeEngine))
        {
            if (!NamesTheProblem(c, values, refusal) && !RefusesAnOverflow(c, refusal))
            {
                problems.Add(
                    $"{refusal.Engine}: the message names no column{(refusal.GivenText ? " and value" : string.Empty)} the row contract refuses ({string.Join("; ", values.Bad)}); "
                    + $"nor is it an overflow of money: no {nameof(OverflowException)}, and it names no customer{(NamesTotals(refusal) ? " and no total of the account" : string.Empty)}");
            }
        }

        return problems;
    }

    // A refused text's column (as the engine was told it, or as the header writes it) and, for an engine given the
    // text, the text itself.
    private static bool NamesTheProblem(ParityCase c, RowValues values, Outcome refusal)
    {
        var message = refusal.Error!;
        bool Names(Role role) =>
            message.Contains(ParityCase.Name(role), StringComparison.OrdinalIgnoreCase)
            || c.Header.Any(h => h.Length > 0 && c.Columns.Any(col => col.Role == role && string.Equals(col.Header, h, StringComparison.OrdinalIgnoreCase)) && message.Contains(h, StringComparison.OrdinalIgnoreCase));

        foreach (var bad in values.Bad)
        {
            Role[] roles = bad.Role == Role.Quantity && bad.Missing && bad.Text.Length == 0 && !c.AmountLayout ? [Role.Quantity, Role.Price] : [bad.Role];
            if (roles.Any(Names) && (!refusal.GivenText || bad.Missing || message.Contains(bad.Text.Trim(), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        // A file whose shape is wrong is named by its column (a duplicated header) or its line (a record with too few
        // or too many fields, where no one column is at fault).
        return c.IsStructural && (c.Columns.Any(col => Names(col.Role)) || Regex.IsMatch(message, @"\b(line|row) [0-9]+", RegexOptions.IgnoreCase));
    }

    // A sum of money too large for a decimal, which no single text causes, whatever the engine's wording: the library's
    // OverflowException in process, or a message naming a customer of the case; SQL, and the tool (which reports the
    // library's and SQL's refusals as text), may name instead the total of the account that overflows. An engine's own
    // error (DuckDB's "Out of Range Error: Overflow in multiplication of DECIMAL(38)") names neither, and fails the case.
    private static bool RefusesAnOverflow(ParityCase c, Outcome refusal)
    {
        if (refusal.IsOverflowException)
        {
            return true;
        }

        var message = refusal.Error!;
        var customers = Enumerable.Range(0, c.Rows.Count).Select(r => c.Text(r, Role.Customer)!).Where(id => !RowContract.IsBlankId(id));
        if (customers.Any(id => message.Contains($"customer '{id}'", StringComparison.Ordinal) || message.Contains($"customer '{TerminalText.Value(id)}'", StringComparison.Ordinal)))
        {
            return true;
        }

        return NamesTotals(refusal) && AccountTotal().IsMatch(message);
    }

    // Money read back from SQL is read at the smallest scale that holds it: DuckDB's decimals have one scale per column,
    // and a total's text with trailing zeros is read without those that do not fit. So at the 29th significant digit a
    // total the library refuses only because its scale cannot be kept (a 29-digit sum plus 25.0) is, from SQL, the same
    // number at a smaller scale (docs/sql.md names this limit). Such a case still needs every in-process engine to
    // refuse it as an overflow, and the SQL engines to agree with each other.
    private static bool SqlReadsTotalsAtTheirScale(ParityCase c, List<Outcome> results, List<Outcome> refusals) =>
        results.All(r => r.Sql || r.Engine == ParityEngines.CliDuckDb)
        && refusals.All(r => r.IsOverflowException || RefusesAnOverflow(c, r))
        && refusals.Any(r => r.Error!.Contains("would be rounded", StringComparison.Ordinal) || r.Error!.Contains("holds exactly", StringComparison.Ordinal));

    private static bool NamesTotals(Outcome refusal) => refusal.Sql || refusal.Engine is ParityEngines.CliMemory or ParityEngines.CliDuckDb;

    // The totals of the account as SQL and the library name them: the rows used, read or excluded for a reason, the used
    // and excluded rows taken together, the customers dropped for a non-positive total.
    [GeneratedRegex(@"\brows (used|read|excluded as [A-Za-z]+)\b|\bthe excluded or of the used rows\b|\bcustomers dropped for a non-positive total\b")]
    private static partial Regex AccountTotal();

    public async ValueTask DisposeAsync()
    {
        await _duckDb.DisposeAsync();
        await _postgres.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere is left to the system's temporary folder.
        }
    }
}
