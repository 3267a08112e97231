using System.CommandLine;
using System.Globalization;
using Rfm.Cli.Input;
using Rfm.Cli.Output;
using Rfm.Segmentation;
using Column = Rfm.Cli.Output.TextTable.Column;

namespace Rfm.Cli.Commands;

/// <summary>
/// <c>rfm targets</c>: a campaign's target list, the customers of the segments it addresses with each segment's action
/// and channel, and, given an earlier result of <c>rfm analyze --out</c>, whether each changed segment since.
/// </summary>
internal static class TargetsCommand
{
    private static readonly Option<string> SegmentsOf = new("--segments-of")
    {
        Description = "The keys of the segments to list, separated by commas, e.g. at_risk,cant_lose; the list follows their order (rfm segments shows a map's keys).",
        Required = true,
    };

    private static readonly Option<string?> Previous = new("--previous") { Description = "An earlier result of rfm analyze --out (.json, else CSV), made with the same segment map: adds each target's segment then and whether it changed." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write one row per target to this file (- for standard output)." };
    private static readonly Argument<string?> Input = new("input") { Description = "The transactions: a .csv, .csv.gz or .xlsx file, or - for standard input. Left out with --state.", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> State = new("--state") { Description = "Instead of an input, a state saved by rfm analyze --state, scored as it is (the file is only read)." };

    /// <summary>The columns of every target, then those an earlier result adds.</summary>
    private static readonly string[] Columns = ["customer_id", "segment", "segment_name", "action", "channel", "recency", "frequency", "monetary", "r", "f", "m"];

    /// <summary>The columns <c>--previous</c> adds.</summary>
    private static readonly string[] PreviousColumns = ["previous_segment", "changed", "direction"];

    public static Command Create(CliConsole console)
    {
        var command = new Command("targets", "A campaign target list: the customers of the chosen segments with each segment's suggested action and channel, and with --previous whether each changed segment since.")
        {
            Input, State, SegmentsOf, Previous, AnalyzeCommand.AsOf, Out, CommandOutput.Format,
        };
        TransactionInput.AddOptions(command);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var (calculator, presetName) = TransactionInput.ChooseCalculator(parse);
        var asOf = TransactionInput.ParseDate(parse.GetValue(AnalyzeCommand.AsOf), "--as-of");
        var (outPath, format) = CommandOutput.Choose(parse, Out);
        var keys = parse.GetValue(SegmentsOf)!.Split(',', StringSplitOptions.TrimEntries);
        var previousPath = parse.GetValue(Previous);
        if (previousPath == "-")
        {
            throw new UsageException("--previous names a result file of rfm analyze --out, not standard input.");
        }

        // The keys and the earlier result are checked first: a wrong one stops the run before the transactions are read.
        // A result without customers holds every segment of the map empty, so it checks the keys alone.
        Select(calculator.Calculate(Array.Empty<Transaction>(), DateTime.UnixEpoch), calculator.SegmentMap, keys, previous: null);
        var previous = previousPath is null ? null : ResultFile.ReadSegments(previousPath, calculator.SegmentMap);
        var read = (parse.GetValue(Input), parse.GetValue(State)) switch
        {
            ({ } input, null) => TransactionInput.ReadAndScore(parse, console, calculator, asOf, input),
            (null, { } state) => StateRun.Read(parse, console, calculator, asOf, input: null, state).Scored,
            (null, null) => throw new UsageException("Give the input file (or - for standard input), or --state with a state saved by rfm analyze --state."),
            _ => throw new UsageException("Give the input or --state, not both: rfm targets reads a saved state as it is; add new rows to it with rfm analyze --state."),
        };
        var targets = Select(read.Result, calculator.SegmentMap, keys, previous);

        var summary = CommandOutput.WriteText(parse, outPath, console, writer => WriteTargets(targets, previous is not null, format, writer));

        var description = $"preset '{presetName}'{(read.Layout is null ? string.Empty : $", {read.Layout} columns")}";
        WriteSummary(read, description, calculator.SegmentMap, keys, targets, previousPath, summary);
        return ExitCodes.Success;
    }

    private static System.Collections.Immutable.ImmutableArray<CampaignTarget> Select(
        RfmResult result, ISegmentMap map, string[] keys, KeyValuePair<string, Segment>[]? previous)
    {
        try
        {
            return previous is null ? CampaignTargets.Select(result, map, keys) : CampaignTargets.Select(result, map, keys, previous);
        }
        catch (ArgumentException ex) when (ex.ParamName == "segmentKeys")
        {
            throw new UsageException($"--segments-of: {ErrorMessages.Plain(ex)}");
        }
    }

    private static void WriteTargets(System.Collections.Immutable.ImmutableArray<CampaignTarget> targets, bool withPrevious, string format, TextWriter writer)
    {
        string[] columns = withPrevious ? [.. Columns, .. PreviousColumns] : Columns;
        var rows = targets.Select(target => Row(target, withPrevious));
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => TidyRows.WriteJson(stream, columns, rows));
            return;
        }

        TidyRows.WriteCsv(writer, columns, rows);
    }

    private static object?[] Row(CampaignTarget target, bool withPrevious)
    {
        var customer = target.Customer;
        object?[] row =
        [
            target.CustomerId, target.Segment.Key, target.Segment.Name, target.SuggestedAction, target.SuggestedChannel,
            customer.Metrics.Recency, customer.Metrics.Frequency, customer.Metrics.Monetary, customer.Score.R, customer.Score.F, customer.Score.M,
        ];
        return withPrevious ? [.. row, target.PreviousSegment?.Key, target.ChangedSegment, MigrateCommand.Word(target.Change!.Value)] : row;
    }

    // The title, the rows read, then per chosen segment (in the order given) its targets, and with an earlier result how
    // many changed segment and how many are new, and the suggested action with its channel.
    private static void WriteSummary(
        ScoredInput read,
        string description,
        ISegmentMap map,
        string[] keys,
        System.Collections.Immutable.ImmutableArray<CampaignTarget> targets,
        string? previousPath,
        TextWriter writer)
    {
        var invariant = CultureInfo.InvariantCulture;
        var result = read.Result;
        writer.WriteLine($"{read.DisplayName}: campaign targets, {description}, as of {result.AsOf.ToString("yyyy-MM-dd HH:mm", invariant)}{(previousPath is null ? string.Empty : $", compared with {previousPath}")}");
        SummaryTable.WriteIngestion(result.Ingestion, writer);
        var changed = targets.Count(target => target.ChangedSegment == true);
        writer.WriteLine(string.Create(
            invariant,
            $"targets {targets.Length:N0} of {result.Customers.Length:N0} customers{(previousPath is null ? string.Empty : $", {changed:N0} changed segment ({targets.Count(t => t.Change == MigrationDirection.New):N0} new)")}"));
        writer.WriteLine();

        var table = previousPath is null
            ? new TextTable(Column.LeftOf(21), new(11), Column.LeftOf(0)).Add("segment", "customers", "  suggested action (channel)")
            : new TextTable(Column.LeftOf(21), new(11), new(9), new(9), Column.LeftOf(0)).Add("segment", "customers", "changed", "new", "  suggested action (channel)");
        var segments = map.Segments.DistinctBy(segment => segment.Key).ToDictionary(segment => segment.Key, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var ofSegment = targets.Where(target => target.Segment.Key == key).ToList();
            var count = ofSegment.Count.ToString("N0", invariant);
            var playbook = "  " + SummaryTable.Playbook(segments[key]);
            if (previousPath is null)
            {
                table.Add(key, count, playbook);
            }
            else
            {
                table.Add(
                    key,
                    count,
                    ofSegment.Count(target => target.ChangedSegment == true).ToString("N0", invariant),
                    ofSegment.Count(target => target.Change == MigrationDirection.New).ToString("N0", invariant),
                    playbook);
            }
        }

        table.Write(writer);
    }
}
