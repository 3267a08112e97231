using System.CommandLine;
using Rfm.Cli.Input;
using Rfm.Sql;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm sql</c>: the pipeline as one SQL statement, to run in a database or warehouse.</summary>
internal static class SqlCommand
{
    private static readonly Option<string> Dialect = new("--dialect") { Description = "duckdb, postgres or spark (Spark SQL, Databricks).", Required = true };
    private static readonly Option<string> Table = new("--table") { Description = "The table or view of transactions: name, schema.name or catalog.schema.name.", Required = true };
    private static readonly Option<string> AsOf = new("--as-of") { Description = "The analysis instant: yyyy-MM-dd (its midnight) or yyyy-MM-ddTHH:mm:ss. Bound as a parameter.", Required = true };
    private static readonly Option<string?> CreateTable = new("--create-table") { Description = "Print CREATE TABLE <name> AS the pipeline, for a CRM to read the result in the database." };
    private static readonly Option<bool> Replace = new("--replace") { Description = "With --create-table: CREATE OR REPLACE (DuckDB, Spark; on PostgreSQL drop the old table first)." };
    private static readonly Option<bool> Ingestion = new("--ingestion") { Description = "Print the statement that accounts for every row (used, or excluded and why) instead." };
    private static readonly Option<string> DateType = new("--date-type")
    {
        Description = "The SQL type of the date column: timestamp (or date), timestamptz (read as its UTC wall clock whatever the session's zone) or text (ISO 8601, read as the library reads it; a text that is no date is an error).",
        DefaultValueFactory = _ => "timestamp",
    };

    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the statement to this file instead of standard output." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("sql", "Print the RFM pipeline as SQL for DuckDB, PostgreSQL or Spark SQL: the same numbers as rfm analyze, computed where the data lives.")
        {
            Dialect, Table, AsOf, DateType, CreateTable, Replace, Ingestion, Out, PartitionOption.PartitionBy,
            TransactionInput.Preset, TransactionInput.Bins, TransactionInput.Scoring, TransactionInput.Segments,
            TransactionInput.CancellationPrefix, TransactionInput.CancellationContains, TransactionInput.KeepCancellations,
            TransactionInput.Customer, TransactionInput.Order, TransactionInput.Date, TransactionInput.Amount, TransactionInput.Quantity, TransactionInput.Price,
        };
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var dialect = Parse(() => SqlDialect.Parse(parse.GetValue(Dialect)!), "--dialect");
        var table = Parse(() => SqlTableName.Parse(parse.GetValue(Table)!), "--table");
        var asOf = TransactionInput.ParseDate(parse.GetValue(AsOf), "--as-of")!.Value;
        var (calculator, _) = TransactionInput.ChooseCalculator(parse);
        var flags = new ColumnFlags(
            parse.GetValue(TransactionInput.Customer), parse.GetValue(TransactionInput.Order), parse.GetValue(TransactionInput.Date),
            parse.GetValue(TransactionInput.Amount), parse.GetValue(TransactionInput.Quantity), parse.GetValue(TransactionInput.Price), null);
        flags.CheckNotEmpty();
        var columns = ColumnMapping.ChooseForTable(flags) with { Partition = PartitionOption.Column(parse) is { } partition ? ColumnRef.Named(partition) : (ColumnRef?)null };
        if (parse.GetValue(Ingestion) && parse.GetValue(CreateTable) is not null)
        {
            throw new UsageException("Give --ingestion or --create-table, not both.");
        }

        if (parse.GetValue(Replace) && parse.GetValue(CreateTable) is null)
        {
            throw new UsageException("--replace needs --create-table: it replaces the table --create-table names.");
        }

        var dateType = parse.GetValue(DateType) switch
        {
            "timestamp" => SqlDateType.Timestamp,
            "timestamptz" => SqlDateType.TimestampWithTimeZone,
            "text" => SqlDateType.Text,
            var other => throw new UsageException($"--date-type: '{other}' is not a date column type; expected timestamp, timestamptz or text."),
        };
        var query = Parse(() => new RfmSqlGenerator(dialect, calculator).Query(table, columns, asOf, dateType), "the columns");
        var statement = parse.GetValue(CreateTable) is { } target
            ? Parse(() => query.CreateTable(SqlTableName.Parse(target), parse.GetValue(Replace)), "--create-table")
            : parse.GetValue(Ingestion) ? query.Ingestion : query.Customers;

        // The map's name is the caller's text: the script writes it escaped, so that it cannot end its comment line.
        var script = statement.ToScript(
            $"rfm sql: {dialect.Name}, as of {asOf:yyyy-MM-dd HH:mm:ss}, {Describe(calculator)}{(dateType == SqlDateType.Timestamp ? string.Empty : $", date column {parse.GetValue(DateType)}")}",
            "Bind these parameters (text as JSON strings), then run the statement.");

        var path = parse.GetValue(Out);
        CommandOutput.WriteText(parse, path ?? "-", console, writer => writer.Write(script));
        if (path is not null and not "-")
        {
            console.Error.WriteLine($"Wrote {path}.");
        }

        return ExitCodes.Success;
    }

    private static string Describe(RfmCalculator calculator) =>
        $"R {calculator.Scoring.Recency.Name}, F {calculator.Scoring.Frequency.Name}, M {calculator.Scoring.Monetary.Name} into {calculator.Scoring.Bins} scores, segments '{calculator.SegmentMap.Name}'";

    // Every refusal of the generator is a usage error naming the option at fault.
    private static T Parse<T>(Func<T> make, string option)
    {
        try
        {
            return make();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"{option}: {ErrorMessages.Plain(ex)}");
        }
        catch (NotSupportedException ex)
        {
            throw new UsageException($"{option}: {ex.Message}");
        }
    }
}
