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

    private static readonly Option<int> Bins = new("--bins") { Description = "The number of scores to show the map for, 2 to 10.", DefaultValueFactory = _ => 5 };

    public static Command Create(CliConsole console)
    {
        var command = new Command("segments", "List the built-in segment maps with their rules, grid and which score cells each segment gets.") { Map, Bins };
        command.SetAction(parse =>
        {
            var bins = parse.GetValue(Bins);
            if (bins is < 2 or > 10)
            {
                throw new UsageException($"--bins {bins}: use 2 to 10.");
            }

            var name = parse.GetValue(Map);
            IEnumerable<ISegmentMap> maps = name is null ? SegmentMaps.BuiltIn.Values.OrderBy(m => m.Name, StringComparer.Ordinal) : [SegmentMapSource.Load(name, "map")];
            var first = true;
            foreach (var map in maps)
            {
                if (!first)
                {
                    console.Out.WriteLine();
                }

                SummaryTable.WriteMap(map, bins, console.Out);
                first = false;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
