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

    [Fact]
    public void ResultFiles_GiveTheSameMigrationAsTheTransactionsAtTwoDates()
    {
        var folder = Cli.TempFolder();
        var before = Path.Combine(folder, "a.csv");
        var after = Path.Combine(folder, "b.json");
        var fromResults = Path.Combine(folder, "from-results.csv");
        var fromTransactions = Path.Combine(folder, "from-transactions.csv");
        Cli.Invoke("analyze", Cli.BundledData, "--as-of", "2011-06-01", "--preset", "tutorial", "--out", before);
        Cli.Invoke("analyze", Cli.BundledData, "--as-of", "2011-12-10", "--preset", "tutorial", "--out", after);

        var results = Cli.Invoke("migrate", before, after, "--out", fromResults);
        var transactions = Cli.Invoke("migrate", Cli.BundledData, "--from", "2011-06-01", "--to", "2011-12-10", "--preset", "tutorial", "--out", fromTransactions);

        Assert.True(results.ExitCode == 0, results.Error);
        Assert.True(transactions.ExitCode == 0, transactions.Error);
        Assert.Equal(File.ReadAllText(fromTransactions), File.ReadAllText(fromResults));
        Assert.True(File.ReadAllLines(fromResults).Length > 1000);

        // The same counts and matrix; only the title says what was compared.
        var resultLines = results.Out.Split('\n');
        Assert.Equal($"segment migration from {before} to {after}", resultLines[0]);
        Assert.Equal(transactions.Out.Split('\n')[1..], resultLines[1..]);
    }

    [Fact]
    public void ResultFiles_JsonToStandardOutput_ListsTheChangedCustomers()
    {
        var before = Write("a.csv", $"{Header}\n1,5,1,10,3,1,1,hibernating\n2,5,1,10,5,5,5,champions\n3,5,1,10,5,5,5,champions\n");
        var after = Write("b.csv", $"{Header}\n2,5,1,10,5,5,5,champions\n3,5,1,10,3,3,3,need_attention\n4,5,1,10,5,1,1,new_customers\n");

        var run = Cli.Invoke("migrate", before, after, "--out", "-", "--format", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(
            ["1,hibernating,,gone", "3,champions,need_attention,down", "4,,new_customers,new"],
            json.RootElement.EnumerateArray().Select(move => string.Join(',', new[] { "customer_id", "from", "to", "direction" }.Select(name => move.GetProperty(name).GetString()))));
        Assert.Contains("customers 4: unchanged 1, up 0, down 1, moved 0, new 1, gone 1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultFiles_MadeWithAnotherMap_ReadWithItsSegments()
    {
        var map = Write("map.json", """{ "name": "two", "other": { "key": "rest", "name": "Rest" }, "segments": [ { "key": "vip", "name": "VIP", "pattern": "5.." } ] }""");
        var before = Write("a.csv", $"{Header}\n1,5,1,10,3,1,1,rest\n2,5,1,10,5,5,5,vip\n");
        var after = Write("b.csv", $"{Header}\n1,5,1,10,5,1,1,vip\n2,5,1,10,3,3,3,rest\n");
        var changed = Path.Combine(Path.GetDirectoryName(before)!, "changed.csv");

        var run = Cli.Invoke("migrate", before, after, "--segments", map, "--out", changed);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["customer_id,from,to,direction", "1,rest,vip,up", "2,vip,rest,down"], File.ReadAllLines(changed));
    }

    [Theory]
    [InlineData("a.csv", "customer_id,segment\n1,champions\n\n2,vip\n", "line 4, column 'segment': segment 'vip' is not in the segment map 'classic'; pass --segments with the map the results were made with.")]
    [InlineData("a.csv", "customer_id,r,f,m\n1,5,5,5\n", "line 1: no column 'segment' in the header (customer_id,r,f,m); a result of rfm analyze --out has the header customer_id,recency,frequency,monetary,r,f,m,segment.")]
    [InlineData("a.csv", "id,segment\n1,champions\n", "line 1: no column 'customer_id' in the header (id,segment); a result of rfm analyze --out has the header customer_id,recency,frequency,monetary,r,f,m,segment.")]
    [InlineData("a.csv", "customer_id,segment\n1,champions\n2,hibernating\n1,at_risk\n", "line 4, column 'customer_id': customer '1' appears twice (first at line 2).")]
    [InlineData("a.csv", "customer_id,segment\n1,champions\n,hibernating\n", "line 3, column 'customer_id': the customer id is empty.")]
    [InlineData("a.csv", "customer_id,segment\n1,champions\n2,champions,x\n", "line 3: the record has 3 fields, but the header has 2.")]
    [InlineData("a.json", """{ "customers": [ { "customerId": "1", "segment": "champions" }, { "customerId": "1", "segment": "at_risk" } ] }""", "customers[1], field 'customerId': customer '1' appears twice (first at customers[0]).")]
    [InlineData("a.json", """{ "customers": [ { "customerId": "1", "segment": "Champions" } ] }""", "customers[0], field 'segment': segment 'Champions' is not in the segment map 'classic'; pass --segments with the map the results were made with.")]
    [InlineData("a.json", """{ "customers": [ { "customerId": "", "segment": "champions" } ] }""", "customers[0], field 'customerId': the customer id is empty.")]
    [InlineData("a.json", """{ "customers": [ { "customerId": "1" } ] }""", "customers[0], field 'segment': customer '1' has no segment.")]
    [InlineData("a.json", """{ "asOf": "2011-12-10T00:00:00" }""", "no \"customers\" array; a result of rfm analyze --out in JSON has one.")]
    [InlineData("a.json", "{ \"customers\": [\n  { \"customerId\": 1, \"segment\": \"champions\" } ] }", "line 2, at $.customers[0].customerId: not a result of rfm analyze --out: a value is not of the kind expected (an object whose \"customers\" each have a customerId and a segment, as strings).")]
    [InlineData("a.json", "{ \"customers\": [\n  x ] }", "line 2, at $.customers[0]: not a result of rfm analyze --out: 'x' is an invalid start of a value.")]
    public void WrongResultFile_IsADataError_NamingFileLineColumnAndValue(string name, string content, string error)
    {
        var wrong = Write(name, content);
        var good = Write("good.csv", $"{Header}\n1,5,1,10,5,5,5,champions\n");

        var asBefore = Cli.Invoke("migrate", wrong, good);
        var asAfter = Cli.Invoke("migrate", good, wrong);

        Assert.Equal(1, asBefore.ExitCode);
        Assert.Equal($"rfm: {wrong}: {error}", asBefore.OneLineError());
        Assert.Equal(1, asAfter.ExitCode);
        Assert.Equal($"rfm: {wrong}: {error}", asAfter.OneLineError());
    }

    [Theory]
    [InlineData("""{ "customers": [ { "customerId": "1", "segment": "champions" } ], "customers": [] }""", "at $.customers", "'customers'")]
    [InlineData("""{ "customers": [ { "customerId": "1", "customerId": "2", "segment": "champions" } ] }""", "at $.customers[0].customerId", "'customerId'")]
    [InlineData("""{ "customers": [ { "customerId": "1", "segment": "champions", "segment": "lost" } ] }""", "at $.customers[0].segment", "'segment'")]
    public void ResultJson_WithADuplicatedKey_IsRefusedNamingTheKey(string content, string where, string key)
    {
        var duplicated = Write("a.json", content);
        var good = Write("good.csv", $"{Header}\n1,5,1,10,5,5,5,champions\n");

        var run = Cli.Invoke("migrate", duplicated, good);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {duplicated}: line 1, {where}: not a result of rfm analyze --out: Duplicate property {key} encountered during deserialization.", run.OneLineError());
    }

    [Fact]
    public void ResultJson_WithAValueLongerThan16MiB_IsRefusedAtTheBound()
    {
        var endless = Write("a.json", "{ \"customers\": [ { \"customerId\": \"" + new string('1', (16 << 20) + 1) + "\" } ] }");
        var good = Write("good.csv", $"{Header}\n1,5,1,10,5,5,5,champions\n");

        var run = Cli.Invoke("migrate", endless, good);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {endless}: a JSON value runs past 16 MiB, longer than any a result of rfm analyze --out holds; is it such a result?", run.OneLineError());
    }

    [Theory]
    [InlineData(new[] { "migrate", "A", "B", "--from", "2011-06-01" }, "rfm: --from: two result files are compared as they are; --from and --to go with one transaction file.")]
    [InlineData(new[] { "migrate", "A", "B", "--to", "2011-06-01" }, "rfm: --to: two result files are compared as they are; --from and --to go with one transaction file.")]
    [InlineData(new[] { "migrate", "DATA" }, "rfm: migrate with one transaction file needs --from and --to (missing: --from and --to); to compare two results of rfm analyze --out, name both files.")]
    [InlineData(new[] { "migrate", "DATA", "--from", "2011-06-01" }, "rfm: migrate with one transaction file needs --from and --to (missing: --to); to compare two results of rfm analyze --out, name both files.")]
    [InlineData(new[] { "migrate", "A", "-" }, "rfm: migrate compares two result files: name files, not standard input.")]
    [InlineData(new[] { "migrate", "A", "B", "--out", "B" }, "rfm: --out B: is the input file; name another file.")]
    [InlineData(new[] { "migrate", "A", "B", "--out", "A" }, "rfm: --out A: is the input file; name another file.")]
    public void WrongArgumentsWithResultFiles_AreUsageErrors(string[] args, string error)
    {
        var before = Write("a.csv", $"{Header}\n1,5,1,10,5,5,5,champions\n");
        var after = Write("b.csv", $"{Header}\n1,5,1,10,3,3,3,need_attention\n");
        string Resolve(string arg) => arg switch { "A" => before, "B" => after, "DATA" => Cli.BundledData, _ => arg };

        var run = Cli.Invoke([.. args.Select(Resolve)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(error.Replace(" A:", $" {before}:", StringComparison.Ordinal).Replace(" B:", $" {after}:", StringComparison.Ordinal), run.OneLineError());
        Assert.Equal("customer_id,recency,frequency,monetary,r,f,m,segment\n1,5,1,10,3,3,3,need_attention\n", File.ReadAllText(after));
    }

    private const string Header = "customer_id,recency,frequency,monetary,r,f,m,segment";

    private static string Write(string name, string content)
    {
        var path = Path.Combine(Cli.TempFolder(), name);
        File.WriteAllText(path, content);
        return path;
    }

    private static Dictionary<string, string> Segments(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split(',')).ToDictionary(fields => fields[0], fields => fields[^1], StringComparer.Ordinal);
}
