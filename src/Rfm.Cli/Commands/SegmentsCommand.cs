using System.CommandLine;
using Rfm.Cli.Output;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm segments</c>: the built-in segment maps, or one map, with its rules, grid and coverage.</summary>
internal static class SegmentsCommand
{
    private static readonly Argument<string?> Map = new("map")
    {
        Description = "A built-in map or a JSON file of rules to show. Default: every built-in map.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> Bins = new("--bins") { Description = "The number of scores to show a map for, 2 to 10, when the map works with any number (a JSON map without \"bins\"). Default: the map's own, else 5." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("segments", "List the built-in segment maps with their rules, grid and which score cells each segment gets.") { Map, Bins };
        command.SetAction(parse =>
        {
            var bins = CliText.Bins(parse.GetValue(Bins));

            var name = parse.GetValue(Map);
            IEnumerable<ISegmentMap> maps = name is null ? SegmentMaps.BuiltIn.Values.OrderBy(m => m.Name, StringComparer.Ordinal) : [SegmentMapSource.Load(name, "map")];
            var first = true;
            foreach (var map in maps)
            {
                if (bins is { } asked && map.Bins is { } made && asked != made)
                {
                    throw new UsageException($"--bins {asked}: the map '{map.Name}' is made for {made} scores.");
                }

                if (!first)
                {
                    console.Summary.WriteLine();
                }

                SummaryTable.WriteMap(map, bins ?? map.Bins ?? 5, console.Summary);
                first = false;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
