using System.CommandLine;
using Rfm.Analytics;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm analyze</c>: metrics, scores and segments per customer, and a summary.</summary>
internal static class AnalyzeCommand
{
    private static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant: yyyy-MM-dd means its midnight, so purchases later that day are after it; or yyyy-MM-ddTHH:mm:ss. Default: midnight after the last purchase used." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write one row per customer to this file (- for standard output)." };
    private static readonly Option<string> Engine = new("--engine") { Description = "Where the pipeline runs: memory (any input) or duckdb (a CSV file, analysed inside DuckDB with the same SQL rfm sql prints; the same result).", DefaultValueFactory = _ => "memory" };
    private static readonly Option<string?> Margin = new("--margin") { Description = "Add each customer's simple lifetime value (average order value x purchase frequency / churn rate x margin) and its quartile A-D, with this profit margin, e.g. 0.10." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("analyze", "RFM metrics, scores and segments per customer, with a segment summary.")
        {
            TransactionInput.Input, AsOf, Out, CommandOutput.Format, Margin, Engine, PartitionOption.PartitionBy,
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
        if (PartitionOption.Column(parse) is { } partitionColumn)
        {
            return PartitionOption.Analyze(parse, console, calculator, presetName, asOf, outPath, format, margin, parse.GetValue(Engine)!, partitionColumn);
        }

        var input = parse.GetValue(TransactionInput.Input)!;
        var read = parse.GetValue(Engine) switch
        {
            "memory" => TransactionInput.ReadAndScore(parse, console, calculator, asOf, input),
            "duckdb" => TransactionInput.ScoreWithDuckDb(parse, console, calculator, asOf, input),
            var other => throw new UsageException($"--engine '{other}': use memory or duckdb."),
        };
        var result = read.Result;
        var clv = margin is { } m ? ComputeClv(result, m, read.DisplayName) : null;

        var summary = CommandOutput.Write(parse, outPath, console, stream => WriteCustomers(result, clv, format, stream), writer => WriteCustomers(result, clv, format, writer));

        var description = $"preset '{presetName}'{(read.Layout is null ? string.Empty : $", {read.Layout} columns")}";
        SummaryTable.Write(result, read.DisplayName, description, summary);
        if (clv is not null)
        {
            SummaryTable.WriteClv(clv, summary);
        }
        return ExitCodes.Success;
    }

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

    private static SimpleClv ComputeClv(RfmResult result, decimal margin, string input)
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
