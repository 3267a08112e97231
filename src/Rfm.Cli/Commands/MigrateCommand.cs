using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rfm.Cli.Output;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm migrate</c>: how customers moved between segments from one date to another.</summary>
internal static class MigrateCommand
{
    private static readonly Option<string> From = new("--from") { Description = "The earlier analysis instant (yyyy-MM-dd, or yyyy-MM-ddTHH:mm:ss).", Required = true };
    private static readonly Option<string> To = new("--to") { Description = "The later analysis instant.", Required = true };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the customers whose segment changed to this file (- for standard output)." };
    private static readonly Argument<string> Input = new("input") { Description = "The transactions: a .csv, .csv.gz or .xlsx file (read once for each date, so not standard input)." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("migrate", "Segment migration between two dates: the transition matrix and the customers whose segment changed.")
        {
            Input, From, To, Out, CommandOutput.Format,
        };
        TransactionInput.AddOptions(command);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var input = parse.GetValue(Input)!;
        if (input == "-")
        {
            throw new UsageException("migrate reads its input once for each date: name a file, not standard input.");
        }

        var from = TransactionInput.ParseDate(parse.GetValue(From), "--from")!.Value;
        var to = TransactionInput.ParseDate(parse.GetValue(To), "--to")!.Value;
        if (to <= from)
        {
            throw new UsageException($"--to {to:yyyy-MM-dd HH:mm:ss} must be after --from {from:yyyy-MM-dd HH:mm:ss}.");
        }

        var (outPath, format) = CommandOutput.Choose(parse, Out);
        var (calculator, _) = TransactionInput.ChooseCalculator(parse);
        var before = TransactionInput.ReadAndScore(parse, console, calculator, from, input);
        var after = TransactionInput.ReadAndScore(parse, console, calculator, to, input);
        var migration = SegmentMigration.Between(before.Result, after.Result, calculator.SegmentMap);

        var summary = CommandOutput.Write(
            outPath,
            after.FullPath,
            console,
            stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                WriteChanged(migration, format, writer);
            },
            writer => WriteChanged(migration, format, writer));

        WriteSummary(migration, before.DisplayName, from, to, summary);
        return ExitCodes.Success;
    }

    // customer_id,from,to,direction: what a CRM integration writes back.
    private static void WriteChanged(SegmentMigration migration, string format, TextWriter writer)
    {
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => WriteChangedJson(migration, stream));
            return;
        }

        writer.WriteLine("customer_id,from,to,direction");
        foreach (var move in migration.Changed)
        {
            writer.WriteLine(string.Join(',', CustomerWriter.CsvField(move.CustomerId), move.From?.Key ?? string.Empty, move.To?.Key ?? string.Empty, Word(move.Direction)));
        }
    }

    private static void WriteChangedJson(SegmentMigration migration, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var move in migration.Changed)
        {
            json.WriteStartObject();
            json.WriteString("customer_id", move.CustomerId);
            json.WriteString("from", move.From?.Key);
            json.WriteString("to", move.To?.Key);
            json.WriteString("direction", Word(move.Direction));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteSummary(SegmentMigration migration, string input, DateTime from, DateTime to, TextWriter writer)
    {
        var invariant = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(invariant, $"{input}: segment migration from {from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm}"));
        writer.WriteLine(string.Create(
            invariant,
            $"customers {migration.Moves.Length:N0}: unchanged {migration.Count(MigrationDirection.Unchanged):N0}, up {migration.Count(MigrationDirection.Upgrade):N0}, down {migration.Count(MigrationDirection.Downgrade):N0}, moved {migration.Count(MigrationDirection.Moved):N0}, new {migration.Count(MigrationDirection.New):N0}, gone {migration.Count(MigrationDirection.Gone):N0}"));
        writer.WriteLine();
        writer.WriteLine(string.Create(invariant, $"{"from",-22} {"to",-22} {"customers",9} {"of from",8}"));
        foreach (var cell in migration.Cells.Where(cell => cell.Customers > 0))
        {
            writer.WriteLine(string.Create(invariant, $"{cell.From?.Key ?? "(new)",-22} {cell.To?.Key ?? "(gone)",-22} {cell.Customers,9:N0} {cell.ShareOfFrom,8:P1}"));
        }
    }

    private static string Word(MigrationDirection direction) => direction switch
    {
        MigrationDirection.Upgrade => "up",
        MigrationDirection.Downgrade => "down",
        _ => direction.ToString().ToLowerInvariant(),
    };
}
