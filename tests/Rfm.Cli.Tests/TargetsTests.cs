using System.IO.Compression;
using System.Text.Json;
using Rfm.Segmentation;

namespace Rfm.Cli.Tests;

public sealed class TargetsTests
{
    private const string Header = "customer_id,segment,segment_name,action,channel,recency,frequency,monetary,r,f,m";

    // The keys in the order given, which is not the map's.
    private static readonly string[] Keys = ["cant_lose", "at_risk"];

    private static readonly string[] Columns = ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-02-01"];

    // Five customers: a and b bought lately and often, c and d long ago, e once long ago.
    private const string Small =
        "customer,order,date,amount\n" +
        "a,1,2024-01-20,50\na,2,2024-01-25,50\na,3,2024-01-30,50\n" +
        "b,4,2024-01-22,40\nb,5,2024-01-28,40\nb,6,2024-01-29,40\n" +
        "c,7,2023-01-02,30\nc,8,2023-01-03,30\n" +
        "d,9,2023-02-02,20\n" +
        "e,10,2022-05-05,5\n";

    [Fact]
    public void BundledData_Targets_AreTheAnalyzeRowsOfTheChosenSegments_InTheOrderGiven()
    {
        var folder = Cli.TempFolder();
        var all = Path.Combine(folder, "all.csv");
        var list = Path.Combine(folder, "targets.csv");

        var analyze = Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--quiet", "--out", all);
        var run = Cli.Invoke("targets", Cli.BundledData, "--segments-of", string.Join(',', Keys), "--preset", "tutorial", "--quiet", "--out", list);

        Assert.True(analyze.ExitCode == 0, analyze.Error);
        Assert.True(run.ExitCode == 0, run.Error);
        var customers = ReadCsv(all);
        var targets = ReadCsv(list);
        var expected = Keys.SelectMany(key => customers.Where(row => row["segment"] == key)).ToList();
        Assert.Equal(Header, File.ReadLines(list).First());
        Assert.Equal(expected.Select(Figures), targets.Select(Figures));
        Assert.True(expected.Count > 500, $"{expected.Count} targets");
        Assert.All(targets, target =>
        {
            var segment = SegmentMaps.Classic.Segments.Single(s => s.Key == target["segment"]);
            Assert.Equal(segment.Name, target["segment_name"]);
            Assert.Equal(segment.SuggestedAction, target["action"]);
            Assert.Equal(segment.SuggestedChannel, target["channel"]);
            Assert.NotEmpty(target["action"]);
        });

        Assert.Contains($"targets {expected.Count:N0} of {customers.Count:N0} customers\n", run.Out, StringComparison.Ordinal);
        foreach (var key in Keys)
        {
            Assert.Matches($@"\n{key}\s+{expected.Count(row => row["segment"] == key):N0}\s+{System.Text.RegularExpressions.Regex.Escape(SegmentMaps.Classic.Segments.Single(s => s.Key == key).SuggestedAction)}", run.Out);
        }

        Assert.True(run.Out.IndexOf("\ncant_lose ", StringComparison.Ordinal) < run.Out.IndexOf("\nat_risk ", StringComparison.Ordinal));
    }

    [Fact]
    public void State_SavedByAnalyze_GivesTheTargetsOfItsInput()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "customers.rfmstate");
        var fromInput = Path.Combine(folder, "from-input.csv");
        var fromState = Path.Combine(folder, "from-state.csv");
        var keys = string.Join(',', Keys);

        var save = Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--quiet", "--state", state);
        var direct = Cli.Invoke("targets", Cli.BundledData, "--segments-of", keys, "--preset", "tutorial", "--quiet", "--out", fromInput);
        var saved = File.ReadAllBytes(state);
        var run = Cli.Invoke("targets", "--state", state, "--segments-of", keys, "--preset", "tutorial", "--quiet", "--out", fromState);

        Assert.True(save.ExitCode == 0, save.Error);
        Assert.True(direct.ExitCode == 0, direct.Error);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(File.ReadAllBytes(fromInput), File.ReadAllBytes(fromState));
        Assert.Equal(saved, File.ReadAllBytes(state));
    }

    [Fact]
    public void State_WithAnInputOrWithNeither_IsAUsageError()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "customers.rfmstate");
        Assert.Equal(0, Cli.Invoke("analyze", Cli.BundledData, "--quiet", "--state", state).ExitCode);

        var both = Cli.Invoke("targets", Cli.BundledData, "--state", state, "--segments-of", "at_risk", "--quiet");
        var neither = Cli.Invoke("targets", "--segments-of", "at_risk", "--quiet");

        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Error, StringComparison.Ordinal);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--state", neither.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Previous_FromATruncatedCopy_GivesEachTargetsEarlierSegment_AsMigrateDoes()
    {
        var folder = Cli.TempFolder();
        var part = Path.Combine(folder, "part.csv");
        var previous = Path.Combine(folder, "previous.csv");
        var all = Path.Combine(folder, "all.csv");
        var changes = Path.Combine(folder, "changes.csv");
        var list = Path.Combine(folder, "targets.csv");
        using (var text = new StreamReader(new GZipStream(File.OpenRead(Cli.BundledData), CompressionMode.Decompress)))
        {
            // The header and the first 200,000 rows: the export as it stood in May 2011.
            File.WriteAllLines(part, Enumerable.Range(0, 200_001).Select(_ => text.ReadLine()!));
        }

        Cli.Invoke("analyze", part, "--preset", "tutorial", "--quiet", "--out", previous);
        Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--quiet", "--out", all);
        var migrate = Cli.Invoke("migrate", previous, all, "--out", changes);
        var run = Cli.Invoke("targets", Cli.BundledData, "--segments-of", string.Join(',', Keys), "--preset", "tutorial", "--quiet", "--previous", previous, "--out", list);

        Assert.True(migrate.ExitCode == 0, migrate.Error);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal($"{Header},previous_segment,changed,direction", File.ReadLines(list).First());
        var earlier = ReadCsv(previous).ToDictionary(row => row["customer_id"], row => row["segment"]);
        var moves = ReadCsv(changes).ToDictionary(row => row["customer_id"]);
        var targets = ReadCsv(list);
        var customers = ReadCsv(all);
        Assert.Equal(Keys.SelectMany(key => customers.Where(row => row["segment"] == key)).Select(Figures), targets.Select(Figures));
        foreach (var target in targets)
        {
            var id = target["customer_id"];
            var moved = moves.TryGetValue(id, out var move);
            Assert.Equal(earlier.GetValueOrDefault(id, string.Empty), target["previous_segment"]);
            Assert.Equal(moved ? "true" : "false", target["changed"]);
            Assert.Equal(moved ? move!["direction"] : "unchanged", target["direction"]);
            if (moved)
            {
                Assert.Equal(move!["from"], target["previous_segment"]);
                Assert.Equal(move["to"], target["segment"]);
            }
        }

        // Every kind of target is there: new since, moved in, and stayed.
        var directions = targets.GroupBy(target => target["direction"]).ToDictionary(group => group.Key, group => group.Count());
        Assert.True(directions.GetValueOrDefault("new") > 10 && directions.GetValueOrDefault("unchanged") > 10 && directions.GetValueOrDefault("down") > 10, string.Join(", ", directions));
        var changed = targets.Count(target => target["changed"] == "true");
        Assert.Contains($"targets {targets.Count:N0} of {customers.Count:N0} customers, {changed:N0} changed segment ({directions["new"]:N0} new)", run.Out, StringComparison.Ordinal);
        Assert.Contains($"compared with {previous}", run.Out, StringComparison.Ordinal);

        // The same list in JSON, on standard output, with the earlier result in JSON.
        var previousJson = Path.Combine(folder, "previous.json");
        Cli.Invoke("analyze", part, "--preset", "tutorial", "--quiet", "--out", previousJson);
        var json = Cli.Invoke("targets", Cli.BundledData, "--segments-of", string.Join(',', Keys), "--preset", "tutorial", "--quiet", "--previous", previousJson, "--format", "json");
        Assert.True(json.ExitCode == 0, json.Error);
        using var document = JsonDocument.Parse(json.Out);
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(targets.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(targets[i]["customer_id"], rows[i].GetProperty("customer_id").GetString());
            Assert.Equal(targets[i]["monetary"], rows[i].GetProperty("monetary").GetRawText());
            Assert.Equal(targets[i]["channel"], rows[i].GetProperty("channel").GetString());
            Assert.Equal(targets[i]["changed"], rows[i].GetProperty("changed").GetRawText());
            Assert.Equal(targets[i]["direction"], rows[i].GetProperty("direction").GetString());
            var previousSegment = rows[i].GetProperty("previous_segment");
            Assert.Equal(targets[i]["previous_segment"], previousSegment.ValueKind == JsonValueKind.Null ? string.Empty : previousSegment.GetString());
        }

        Assert.Contains("campaign targets", json.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentMapOption_ChoosesTheKeys_AndReadsThePreviousWithIt()
    {
        // As of 2024-02-01 with the tiers map: a and b top, c middle, d and e bottom. z has gone since.
        var input = Write("orders.csv", Small);
        var previous = Write("previous.csv", "customer_id,segment\na,middle_tier\nc,top_tier\ne,bottom_tier\nz,top_tier\n");

        var run = Cli.Invoke(["targets", input, "--segments", "tiers", "--segments-of", "bottom_tier,middle_tier,top_tier", "--previous", previous, "--out", "-", .. Columns]);

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Equal($"{Header},previous_segment,changed,direction", lines[0]);
        Assert.Equal(
            ["d,bottom_tier,,true,new", "e,bottom_tier,bottom_tier,false,unchanged", "c,middle_tier,top_tier,true,down", "a,top_tier,middle_tier,true,up", "b,top_tier,,true,new"],
            lines.Skip(1).Select(line => line.Split(',')).Select(f => string.Join(',', f[0], f[1], f[^3], f[^2], f[^1])));
        Assert.Contains("targets 5 of 5 customers, 4 changed segment (2 new)", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"\nbottom_tier\s+2\s+1\s+1\s+Win back", run.Error);
        Assert.Matches(@"\nmiddle_tier\s+1\s+1\s+0\s+Grow them", run.Error);
        Assert.Matches(@"\ntop_tier\s+2\s+2\s+1\s+Reward", run.Error);
    }

    [Theory]
    [InlineData("at_risk,vip", "rfm: --segments-of: Segment key 'vip' is not a segment of the map 'classic'; its keys are champions, loyal_customers, potential_loyalists, new_customers, promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating, other.")]
    [InlineData("at_risk,", "rfm: --segments-of: Segment key '' is not a segment of the map 'classic'; its keys are champions, loyal_customers, potential_loyalists, new_customers, promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating, other.")]
    [InlineData("at_risk, at_risk", "rfm: --segments-of: Segment key 'at_risk' is given twice.")]
    public void WrongSegmentKeys_AreUsageErrors_ListingTheMapsKeys(string keys, string error)
    {
        var run = Cli.Invoke(["targets", Write("orders.csv", Small), "--segments-of", keys, .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(error, run.OneLineError());
        Assert.Empty(run.Out);
    }

    [Fact]
    public void WrongSegmentKeys_AreRefused_BeforeTheInputIsRead()
    {
        var run = Cli.Invoke(["targets", Write("orders.csv", Small + "f,11,yesterday,5\n"), "--segments-of", "vip", .. Columns]);
        var read = Cli.Invoke(["targets", Write("orders.csv", Small + "f,11,yesterday,5\n"), "--segments-of", "at_risk", .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("rfm: --segments-of: Segment key 'vip' is not a segment of the map 'classic'", run.OneLineError(), StringComparison.Ordinal);
        Assert.Equal(1, read.ExitCode);
        Assert.Contains("line 12, column 'date'", read.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoSegmentsOf_IsAUsageError()
    {
        var run = Cli.Invoke(["targets", Write("orders.csv", Small), .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'--segments-of' is required", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void PreviousOnStandardInput_IsAUsageError()
    {
        var run = Cli.Invoke(["targets", Write("orders.csv", Small), "--segments-of", "at_risk", "--previous", "-", .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rfm: --previous names a result file of rfm analyze --out, not standard input.", run.OneLineError());
    }

    [Fact]
    public void PreviousMadeWithAnotherMap_IsADataError_NamingLineColumnAndValue()
    {
        var previous = Write("previous.csv", "customer_id,recency,frequency,monetary,r,f,m,segment\na,5,3,150,5,5,5,champions\nc,400,2,60,1,2,4,top_tier\n");

        var run = Cli.Invoke(["targets", Write("orders.csv", Small), "--segments-of", "at_risk", "--previous", previous, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"rfm: {previous}: line 3, column 'segment': segment 'top_tier' is not in the segment map 'classic'; pass --segments with the map the results were made with.",
            run.OneLineError());
    }

    [Fact]
    public void Out_OntoThePreviousResult_IsRefused()
    {
        var content = "customer_id,segment\na,champions\n";
        var previous = Write("previous.csv", content);

        var run = Cli.Invoke(["targets", Write("orders.csv", Small), "--segments-of", "at_risk", "--previous", previous, "--out", previous, .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --out {previous}: is the --previous file; name another file.", run.OneLineError());
        Assert.Equal(content, File.ReadAllText(previous));
    }

    // The columns a target shares with its row of rfm analyze --out: the id, the segment and the figures.
    private static string Figures(Dictionary<string, string> row) =>
        string.Join(',', new[] { "customer_id", "segment", "recency", "frequency", "monetary", "r", "f", "m" }.Select(column => row[column]));

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = Sylvan.Data.Csv.CsvDataReader.Create(path);
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetString));
        }

        return rows;
    }

    private static string Write(string name, string content)
    {
        var path = Path.Combine(Cli.TempFolder(), name);
        File.WriteAllText(path, content);
        return path;
    }
}
