using System.CommandLine;
using System.Globalization;
using Rfm.Cli.Input;
using Rfm.Cli.Output;
using Column = Rfm.Cli.Output.TextTable.Column;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary>
/// <c>rfm migrate</c>: how customers moved between segments, from one date to another of a transaction file or from one
/// result of <c>rfm analyze --out</c> to another.
/// </summary>
internal static class MigrateCommand
{
    // Not required by the parser: with two result files they must be absent, with one input both present.
    private static readonly Option<string?> From = new("--from") { Description = "With one transaction file: the earlier analysis instant (yyyy-MM-dd, or yyyy-MM-ddTHH:mm:ss)." };
    private static readonly Option<string?> To = new("--to") { Description = "With one transaction file: the later analysis instant." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the customers whose segment changed to this file (- for standard output)." };
    private static readonly Argument<string> Input = new("input")
    {
        Description = "The transactions: a .csv, .csv.gz or .xlsx file, scored as of --from and as of --to (read once for each, so not standard input). Or, with a second file, the earlier result of rfm analyze --out.",
    };

    private static readonly Argument<string?> After = new("after")
    {
        Description = "The later result of rfm analyze --out (.json, else CSV); input is then the earlier one. Give the --segments or --preset they were made with.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("migrate", "Segment migration between two dates, or between two results of rfm analyze --out: the transition matrix and the customers whose segment changed.")
        {
            Input, After, From, To, Out, CommandOutput.Format,
        };
        TransactionInput.AddOptions(command);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var input = parse.GetValue(Input)!;
        var fromText = parse.GetValue(From);
        var toText = parse.GetValue(To);
        if (parse.GetValue(After) is { } afterFile)
        {
            if (fromText is not null || toText is not null)
            {
                throw new UsageException(
                    $"{(fromText is not null ? "--from" : "--to")}: two result files are compared as they are; --from and --to go with one transaction file.");
            }

            return RunResults(parse, console, input, afterFile);
        }

        if (fromText is null || toText is null)
        {
            var missing = fromText is null && toText is null ? "--from and --to" : fromText is null ? "--from" : "--to";
            throw new UsageException(
                $"migrate with one transaction file needs --from and --to (missing: {missing}); to compare two results of rfm analyze --out, name both files.");
        }

        if (input == "-")
        {
            throw new UsageException("migrate reads its input once for each date: name a file, not standard input.");
        }

        var from = TransactionInput.ParseDate(fromText, "--from")!.Value;
        var to = TransactionInput.ParseDate(toText, "--to")!.Value;
        if (to <= from)
        {
            throw new UsageException($"--to {to:yyyy-MM-dd HH:mm:ss} must be after --from {from:yyyy-MM-dd HH:mm:ss}.");
        }

        var (outPath, format) = CommandOutput.Choose(parse, Out);
        var (calculator, _) = TransactionInput.ChooseCalculator(parse);
        var before = TransactionInput.ReadAndScore(parse, console, calculator, from, input);
        var after = TransactionInput.ReadAndScore(parse, console, calculator, to, input);
        var migration = SegmentMigration.Between(before.Result, after.Result, calculator.SegmentMap);

        var title = string.Create(CultureInfo.InvariantCulture, $"{before.DisplayName}: segment migration from {from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm}");
        Write(parse, migration, title, outPath, format, console);
        return ExitCodes.Success;
    }

    // Two results of rfm analyze --out, compared customer by customer through their segment keys.
    private static int RunResults(ParseResult parse, CliConsole console, string before, string after)
    {
        if (before == "-" || after == "-")
        {
            throw new UsageException("migrate compares two result files: name files, not standard input.");
        }

        var (outPath, format) = CommandOutput.Choose(parse, Out);
        var map = TransactionInput.ChooseSegmentMap(parse);
        var migration = SegmentMigration.Between(ResultFile.ReadSegments(before, map), ResultFile.ReadSegments(after, map), map);

        Write(parse, migration, $"segment migration from {before} to {after}", outPath, format, console);
        return ExitCodes.Success;
    }

    // The changed customers to --out, then the summary under the title.
    private static void Write(ParseResult parse, SegmentMigration migration, string title, string? outPath, string format, CliConsole console)
    {
        var summary = CommandOutput.WriteText(parse, outPath, console, writer => WriteChanged(migration, format, writer));

        WriteSummary(migration, title, summary);
    }

    // customer_id,from,to,direction: what a CRM integration writes back.
    private static void WriteChanged(SegmentMigration migration, string format, TextWriter writer)
    {
        string[] columns = ["customer_id", "from", "to", "direction"];
        var rows = migration.Changed.Select(move => new object?[] { move.CustomerId, move.From?.Key, move.To?.Key, Word(move.Direction) });
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => TidyRows.WriteJson(stream, columns, rows));
            return;
        }

        TidyRows.WriteCsv(writer, columns, rows);
    }

    private static void WriteSummary(SegmentMigration migration, string title, TextWriter writer)
    {
        var invariant = CultureInfo.InvariantCulture;
        writer.WriteLine(title);
        writer.WriteLine(string.Create(
            invariant,
            $"customers {migration.Moves.Length:N0}: unchanged {migration.Count(MigrationDirection.Unchanged):N0}, up {migration.Count(MigrationDirection.Upgrade):N0}, down {migration.Count(MigrationDirection.Downgrade):N0}, moved {migration.Count(MigrationDirection.Moved):N0}, new {migration.Count(MigrationDirection.New):N0}, gone {migration.Count(MigrationDirection.Gone):N0}"));
        writer.WriteLine();
        var table = new TextTable(Column.LeftOf(23), Column.LeftOf(23), new(9), new(9)).Add("from", "to", "customers", "of from");
        foreach (var cell in migration.Cells.Where(cell => cell.Customers > 0))
        {
            table.Add(cell.From?.Key ?? "(new)", cell.To?.Key ?? "(gone)", cell.Customers.ToString("N0", invariant), cell.ShareOfFrom.ToString("P1", invariant));
        }

        table.Write(writer);
    }

    internal static string Word(MigrationDirection direction) => direction switch
    {
        MigrationDirection.Upgrade => "up",
        MigrationDirection.Downgrade => "down",
        _ => direction.ToString().ToLowerInvariant(),
    };
}
