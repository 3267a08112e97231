using System.Text.Json;

namespace Rfm.Cli.Tests;

public sealed class MigrateTests
{
    [Fact]
    public void BundledData_ChangedCustomers_AreWhatTwoAnalysesDiffer()
    {
        var folder = Cli.TempFolder();
        var changed = Path.Combine(folder, "changed.csv");
        var before = Path.Combine(folder, "before.csv");
        var after = Path.Combine(folder, "after.csv");

        var run = Cli.Invoke("migrate", Cli.BundledData, "--from", "2011-06-01", "--to", "2011-12-10", "--preset", "tutorial", "--out", changed);
        Cli.Invoke("analyze", Cli.BundledData, "--as-of", "2011-06-01", "--preset", "tutorial", "--out", before);
        Cli.Invoke("analyze", Cli.BundledData, "--as-of", "2011-12-10", "--preset", "tutorial", "--out", after);

        Assert.True(run.ExitCode == 0, run.Error);
        var segmentBefore = Segments(before);
        var segmentAfter = Segments(after);
        var expected = segmentBefore.Keys.Union(segmentAfter.Keys)
            .Where(id => segmentBefore.GetValueOrDefault(id) != segmentAfter.GetValueOrDefault(id))
            .Order(StringComparer.Ordinal)
            .Select(id => $"{id},{segmentBefore.GetValueOrDefault(id)},{segmentAfter.GetValueOrDefault(id)}")
            .ToList();
        var lines = File.ReadAllLines(changed);
        Assert.Equal("customer_id,from,to,direction", lines[0]);
        Assert.Equal(expected, lines.Skip(1).Select(line => line[..line.LastIndexOf(',')]));
        Assert.All(lines.Skip(1).Where(line => line.Split(',')[1].Length == 0), line => Assert.EndsWith(",new", line, StringComparison.Ordinal));
        Assert.Contains($"customers {segmentAfter.Count:N0}: unchanged {segmentBefore.Count - (expected.Count - (segmentAfter.Count - segmentBefore.Count)):N0}", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"hibernating\s+hibernating\s+\d+", run.Out);
    }

    [Fact]
    public void Json_ToStandardOutput_ListsTheChangedCustomers()
    {
        var run = Cli.Invoke("migrate", Cli.BundledData, "--from", "2011-11-01", "--to", "2011-12-10", "--out", "-", "--format", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var moves = json.RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(moves);
        Assert.All(moves, move => Assert.Contains(move.GetProperty("direction").GetString(), new[] { "up", "down", "moved", "new", "gone" }));
        Assert.Contains("segment migration from 2011-11-01 00:00 to 2011-12-10 00:00", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "migrate", "-", "--from", "2011-06-01", "--to", "2011-12-10" }, "rfm: migrate reads its input once for each date: name a file, not standard input.")]
    [InlineData(new[] { "migrate", "DATA", "--from", "2011-12-10", "--to", "2011-06-01" }, "rfm: --to 2011-06-01 00:00:00 must be after --from 2011-12-10 00:00:00.")]
    [InlineData(new[] { "migrate", "DATA", "--from", "June", "--to", "2011-06-01" }, "rfm: --from 'June': expected a date like 2011-12-11 or 2011-12-11T08:00:00.")]
    public void WrongArguments_AreUsageErrors(string[] args, string error)
    {
        var run = Cli.Invoke([.. args.Select(a => a == "DATA" ? Cli.BundledData : a)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(error, run.OneLineError());
    }

    private static Dictionary<string, string> Segments(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split(',')).ToDictionary(fields => fields[0], fields => fields[^1], StringComparer.Ordinal);
}
