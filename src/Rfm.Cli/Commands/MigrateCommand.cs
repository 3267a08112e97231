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
    private static readonly Option<string?> Format = new("--format") { Description = "csv or json. Default: json for a .json --out, else csv." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("migrate", "Segment migration between two dates: the transition matrix and the customers whose segment changed.")
        {
            TransactionInput.Input, From, To, TransactionInput.Preset, TransactionInput.Bins, TransactionInput.Scoring, TransactionInput.Segments,
            Out, Format, TransactionInput.Quiet, TransactionInput.Customer, TransactionInput.Order, TransactionInput.Date, TransactionInput.Amount,
            TransactionInput.Quantity, TransactionInput.Price, TransactionInput.DateFormat, TransactionInput.Sheet, TransactionInput.Delimiter,
            TransactionInput.Encoding, TransactionInput.Threads,
        };
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        if (parse.GetValue(TransactionInput.Input) == "-")
        {
            throw new UsageException("migrate reads its input once for each date: name a file, not standard input.");
        }

        var from = TransactionInput.ParseDate(parse.GetValue(From), "--from")!.Value;
        var to = TransactionInput.ParseDate(parse.GetValue(To), "--to")!.Value;
        if (to <= from)
        {
            throw new UsageException($"--to {to:yyyy-MM-dd HH:mm:ss} must be after --from {from:yyyy-MM-dd HH:mm:ss}.");
        }

        var outPath = parse.GetValue(Out);
        var format = parse.GetValue(Format)?.ToLowerInvariant()
            ?? (outPath is not null && outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "csv");
        if (format is not ("csv" or "json"))
        {
            throw new UsageException($"--format '{format}': use csv or json.");
        }

        var (calculator, _) = TransactionInput.ChooseCalculator(parse);
        var before = TransactionInput.ReadAndScore(parse, console, calculator, from);
        var after = TransactionInput.ReadAndScore(parse, console, calculator, to);
        var migration = SegmentMigration.Between(before.Result, after.Result, calculator.SegmentMap);

        var summary = outPath == "-" ? console.Error : console.Out;
        if (outPath == "-")
        {
            WriteChanged(migration, format, console.Out);
        }
        else if (outPath is not null)
        {
            AtomicFile.Write(outPath, after.FullPath, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                WriteChanged(migration, format, writer);
            });
        }

        WriteSummary(migration, before.DisplayName, from, to, summary);
        return ExitCodes.Success;
    }

    // customer_id,from,to,direction: what a CRM integration writes back.
    private static void WriteChanged(SegmentMigration migration, string format, TextWriter writer)
    {
        if (format == "json")
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
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

            writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        writer.WriteLine("customer_id,from,to,direction");
        foreach (var move in migration.Changed)
        {
            writer.WriteLine(string.Join(',', CustomerWriter.CsvField(move.CustomerId), move.From?.Key ?? string.Empty, move.To?.Key ?? string.Empty, Word(move.Direction)));
        }
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
