using System.CommandLine;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm analyze</c>: metrics, scores and segments per customer, and a summary.</summary>
internal static class AnalyzeCommand
{
    private static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant: yyyy-MM-dd means its midnight, so purchases later that day are after it; or yyyy-MM-ddTHH:mm:ss. Default: midnight after the last purchase used." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write one row per customer to this file (- for standard output)." };
    private static readonly Option<string?> Format = new("--format") { Description = "csv or json. Default: json for a .json --out, else csv." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("analyze", "RFM metrics, scores and segments per customer, with a segment summary.")
        {
            TransactionInput.Input, AsOf, TransactionInput.Preset, TransactionInput.Bins, TransactionInput.Scoring, TransactionInput.Segments, Out, Format,
            TransactionInput.Quiet, TransactionInput.Customer, TransactionInput.Order, TransactionInput.Date, TransactionInput.Amount,
            TransactionInput.Quantity, TransactionInput.Price, TransactionInput.DateFormat, TransactionInput.Sheet, TransactionInput.Delimiter,
            TransactionInput.Encoding, TransactionInput.Threads,
        };
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var (calculator, presetName) = TransactionInput.ChooseCalculator(parse);
        var asOf = TransactionInput.ParseDate(parse.GetValue(AsOf), "--as-of");
        var (outPath, format) = ChooseOutput(parse);
        var read = TransactionInput.ReadAndScore(parse, console, calculator, asOf);
        var result = read.Result;

        var summary = outPath == "-" ? console.Error : console.Out;
        if (outPath == "-")
        {
            WriteCustomers(result, format, console.Out);
        }
        else if (outPath is not null)
        {
            AtomicFile.Write(outPath, read.FullPath, stream => WriteCustomers(result, format, stream));
        }

        var description = $"preset '{presetName}'{(read.Layout is null ? string.Empty : $", {read.Layout} columns")}";
        SummaryTable.Write(result, read.DisplayName, description, summary);
        return ExitCodes.Success;
    }

    private static (string? Path, string Format) ChooseOutput(ParseResult parse)
    {
        var path = parse.GetValue(Out);
        var format = parse.GetValue(Format)?.ToLowerInvariant()
            ?? (path is not null && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "csv");
        if (format is not ("csv" or "json"))
        {
            throw new UsageException($"--format '{format}': use csv or json.");
        }

        return (path, format);
    }

    private static void WriteCustomers(RfmResult result, string format, Stream stream)
    {
        if (format == "json")
        {
            CustomerWriter.WriteJson(result, stream);
            return;
        }

        using var writer = new StreamWriter(stream, leaveOpen: true);
        CustomerWriter.WriteCsv(result, writer);
    }

    private static void WriteCustomers(RfmResult result, string format, TextWriter writer)
    {
        if (format == "json")
        {
            using var buffer = new MemoryStream();
            CustomerWriter.WriteJson(result, buffer);
            writer.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            writer.WriteLine();
            return;
        }

        CustomerWriter.WriteCsv(result, writer);
    }
}
