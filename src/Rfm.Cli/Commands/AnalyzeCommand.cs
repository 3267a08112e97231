using System.CommandLine;
using Rfm.Analytics;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm analyze</c>: metrics, scores and segments per customer, and a summary.</summary>
internal static class AnalyzeCommand
{
    internal static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant: yyyy-MM-dd means its midnight, so purchases later that day are after it; or yyyy-MM-ddTHH:mm:ss. Default: midnight after the last purchase used." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write one row per customer to this file (- for standard output)." };
    private static readonly Option<string> Engine = new("--engine") { Description = "Where the pipeline runs: memory (any input) or duckdb (a CSV file, analysed inside DuckDB with the same SQL rfm sql prints; the same result).", DefaultValueFactory = _ => "memory" };
    private static readonly Argument<string?> Input = new("input") { Description = "The transactions: a .csv, .csv.gz or .xlsx file, or - for standard input. May be left out with --state, to score the saved state alone.", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> State = new("--state") { Description = "Keep every customer's state in this file from run to run: read it when it exists, add the input, score the union, and write the new state (atomically, after the reports). Rows are never cut off at --as-of in this mode." };
    private static readonly Option<string?> Margin = new("--margin") { Description = "Add each customer's simple lifetime value (average order value x purchase frequency / churn rate x margin) and its quartile A-D, with this profit margin, e.g. 0.10." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("analyze", "RFM metrics, scores and segments per customer, with a segment summary.")
        {
            Input, AsOf, Out, CommandOutput.Format, Margin, Engine, State, PartitionOption.PartitionBy,
        };
        TransactionInput.AddOptions(command);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var (calculator, presetName) = TransactionInput.ChooseCalculator(parse);
        var asOf = TransactionInput.ParseDate(parse.GetValue(AsOf), "--as-of");
        var (outPath, format) = CommandOutput.Choose(parse, Out);
        var margin = ParseMargin(parse.GetValue(Margin));
        var input = parse.GetValue(Input);
        var statePath = parse.GetValue(State);
        if (PartitionOption.Column(parse) is { } partitionColumn)
        {
            if (statePath is not null)
            {
                throw new UsageException("--state keeps one accumulator, not one per partition: leave out --partition-by or --state.");
            }

            return PartitionOption.Analyze(parse, console, calculator, presetName, asOf, input ?? throw NoInput(), outPath, format, margin, parse.GetValue(Engine)!, partitionColumn);
        }

        var engine = parse.GetValue(Engine);
        if (engine is not ("memory" or "duckdb"))
        {
            throw new UsageException($"--engine '{engine}': use memory or duckdb.");
        }

        StateRun? state = null;
        ScoredInput read;
        if (statePath is not null)
        {
            if (engine == "duckdb")
            {
                throw new UsageException("--state works with the memory engine only: the state is the in-memory engine's accumulator, which DuckDB does not keep.");
            }

            if (outPath is not (null or "-") && !string.IsNullOrWhiteSpace(statePath))
            {
                // The state file may not exist yet, so the check of --out against the files read does not cover it.
                AtomicFile.RefuseInputs(outPath, [new CommandInput(statePath, "the --state file")]);
            }

            state = StateRun.Read(parse, console, calculator, asOf, input, statePath);
            read = state.Scored;
        }
        else
        {
            if (input is null)
            {
                throw NoInput();
            }

            read = engine == "memory"
                ? TransactionInput.ReadAndScore(parse, console, calculator, asOf, input)
                : TransactionInput.ScoreWithDuckDb(parse, console, calculator, asOf, input);
        }

        var result = read.Result;
        var clv = margin is { } m ? ComputeClv(result, m, read.DisplayName) : null;

        var summary = CommandOutput.Write(parse, outPath, console, stream => WriteCustomers(result, clv, format, stream), writer => WriteCustomers(result, clv, format, writer));

        var description = $"preset '{presetName}'{(read.Layout is null ? string.Empty : $", {read.Layout} columns")}";
        SummaryTable.Write(result, read.DisplayName, description, summary);
        if (clv is not null)
        {
            SummaryTable.WriteClv(clv, summary);
        }

        // Last, so that a run that fails anywhere before leaves the state as it was, ready for the same input again.
        state?.Write();
        return ExitCodes.Success;
    }

    private static UsageException NoInput() => new("Give the input file (or - for standard input), or --state with a saved state to score.");

    private static void WriteCustomers(RfmResult result, SimpleClv? clv, string format, Stream stream)
    {
        if (format == "json")
        {
            CustomerWriter.WriteJson(result, clv, stream);
            return;
        }

        using var writer = new StreamWriter(stream, leaveOpen: true);
        CustomerWriter.WriteCsv(result, clv, writer);
    }

    private static void WriteCustomers(RfmResult result, SimpleClv? clv, string format, TextWriter writer)
    {
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => CustomerWriter.WriteJson(result, clv, stream));
            return;
        }

        CustomerWriter.WriteCsv(result, clv, writer);
    }

    private static decimal? ParseMargin(string? text) =>
        text is null ? null
        : decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var margin) && margin is > 0m and <= 1m
            ? margin
            : throw new UsageException($"--margin '{text}': give the profit margin as a fraction above 0 and at most 1, e.g. 0.10.");

    /// <summary>The simple lifetime values of a result's customers; <paramref name="input"/> names what an error is about.</summary>
    internal static SimpleClv ComputeClv(RfmResult result, decimal margin, string input)
    {
        try
        {
            return SimpleClv.Compute(result.Customers.Select(customer => customer.Metrics), margin);
        }
        catch (ArgumentException ex) when (ex.ParamName == "customers")
        {
            throw new InputException($"{input}: --margin: {ErrorMessages.Plain(ex)}", ex);
        }
    }
}
