using System.CommandLine;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm analyze</c>: metrics, scores and segments per customer, and a summary.</summary>
internal static class AnalyzeCommand
{
    private static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant: yyyy-MM-dd means its midnight, so purchases later that day are after it; or yyyy-MM-ddTHH:mm:ss. Default: midnight after the last purchase used." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write one row per customer to this file (- for standard output)." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("analyze", "RFM metrics, scores and segments per customer, with a segment summary.")
        {
            TransactionInput.Input, AsOf, Out, CommandOutput.Format,
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
        var read = TransactionInput.ReadAndScore(parse, console, calculator, asOf, parse.GetValue(TransactionInput.Input)!);
        var result = read.Result;

        var summary = CommandOutput.Write(outPath, [read.FullPath], console, stream => WriteCustomers(result, format, stream), writer => WriteCustomers(result, format, writer));

        var description = $"preset '{presetName}'{(read.Layout is null ? string.Empty : $", {read.Layout} columns")}";
        SummaryTable.Write(result, read.DisplayName, description, summary);
        return ExitCodes.Success;
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
            CommandOutput.Json(writer, stream => CustomerWriter.WriteJson(result, stream));
            return;
        }

        CustomerWriter.WriteCsv(result, writer);
    }
}
