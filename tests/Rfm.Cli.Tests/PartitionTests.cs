using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Rfm.Cli.Tests;

/// <summary>
/// <c>rfm analyze --partition-by</c>: the output of a partitioned run is the output of separate runs, one per
/// partition's rows, one after another in ordinal order of the partitions, with the partition first.
/// </summary>
public sealed class PartitionTests
{
    private const string Header = "customer_id,recency,frequency,monetary,r,f,m,segment";

    // Blank partition values (empty, white space) are the partition "", and a value with a comma is quoted.
    private static readonly string[] Stores = ["north", "North", "south, east", "", " "];

    private static (string Path, Dictionary<string, string> ByPartition) Input(string folder)
    {
        var random = new Random(20111209);
        var header = "store,customer,invoice,date,amount\n";
        var all = new StringBuilder(header);
        var byPartition = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var store = Stores[random.Next(Stores.Length)];
            var customer = $"c{random.Next(400)}";
            var invoice = random.Next(20) == 0 ? $"C{i}" : $"{i / 3}";
            var date = new DateTime(2011, 1, 1).AddMinutes(random.Next(0, 500_000)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var amount = (random.Next(-50, 5000) / 100m).ToString(CultureInfo.InvariantCulture);
            var line = $"{(store.Contains(',', StringComparison.Ordinal) ? $"\"{store}\"" : store)},{customer},{invoice},{date},{amount}\n";
            all.Append(line);
            var name = string.IsNullOrWhiteSpace(store) ? string.Empty : store;
            if (!byPartition.TryGetValue(name, out var rows))
            {
                byPartition.Add(name, rows = new StringBuilder(header));
            }

            rows.Append(line);
        }

        var path = Path.Combine(folder, "orders.csv");
        File.WriteAllText(path, all.ToString());
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, rows) in byPartition)
        {
            var file = Path.Combine(folder, $"partition-{files.Count}.csv");
            File.WriteAllText(file, rows.ToString());
            files.Add(name, file);
        }

        return (path, files);
    }

    private static readonly string[] Mapping = ["--customer", "customer", "--order", "invoice", "--date", "date", "--amount", "amount", "--as-of", "2012-01-01"];

    [Fact]
    public void Csv_EqualsSeparateRunsPerPartition_WithThePartitionFirst()
    {
        var folder = Cli.TempFolder();
        var (input, partitions) = Input(folder);

        var run = Cli.Invoke(["analyze", input, "--partition-by", "store", "--margin", "0.1", "--format", "csv", .. Mapping]);

        Assert.True(run.ExitCode == 0, run.Error);
        var expected = new StringBuilder($"partition,{Header},clv,clv_segment\n");
        foreach (var name in partitions.Keys.Order(StringComparer.Ordinal))
        {
            var separate = Cli.Invoke(["analyze", partitions[name], "--margin", "0.1", "--format", "csv", .. Mapping]);
            Assert.True(separate.ExitCode == 0, separate.Error);
            var field = name.Contains(',', StringComparison.Ordinal) ? $"\"{name}\"" : name;
            foreach (var line in separate.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                expected.Append(field).Append(',').Append(line).Append('\n');
            }
        }

        Assert.Equal(4, partitions.Count);
        Assert.Equal(expected.ToString(), run.Out);
        Assert.Contains("== partition '' (store)", run.Error, StringComparison.Ordinal);
        Assert.Contains("== partition 'south, east' (store)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_EachPartitionIsItsSeparateRun_WithThePartitionFirst()
    {
        var folder = Cli.TempFolder();
        var (input, partitions) = Input(folder);
        var output = Path.Combine(folder, "partitioned.json");

        var run = Cli.Invoke(["analyze", input, "--partition-by", "store", "--out", output, .. Mapping]);

        Assert.True(run.ExitCode == 0, run.Error);
        var json = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        Assert.Equal("2012-01-01T00:00:00", (string?)json["asOf"]);
        var written = json["partitions"]!.AsArray();
        Assert.Equal(partitions.Keys.Order(StringComparer.Ordinal), written.Select(p => (string?)p!["partition"]));
        foreach (var partition in written.Select(p => p!.AsObject()))
        {
            var name = (string)partition["partition"]!;
            var separate = Cli.Invoke(["analyze", partitions[name], "--format", "json", .. Mapping]);
            Assert.True(separate.ExitCode == 0, separate.Error);

            // Each customer has its partition first; without it, and without the partition's name, it is the separate run.
            foreach (var customer in partition["customers"]!.AsArray().Select(c => c!.AsObject()))
            {
                Assert.Equal("partition", customer.First().Key);
                Assert.Equal(name, (string?)customer["partition"]);
                customer.Remove("partition");
            }

            partition.Remove("partition");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(separate.Out), partition), $"partition '{name}' differs");
        }
    }

    [Fact]
    public void DuckDbEngine_AMissingColumn_AndAnEmptyName_AreRefused()
    {
        var folder = Cli.TempFolder();
        var (input, _) = Input(folder);

        var duckdb = Cli.Invoke(["analyze", input, "--partition-by", "store", "--engine", "duckdb", .. Mapping]);
        Assert.Equal(2, duckdb.ExitCode);
        Assert.Contains("--partition-by runs on the in-memory engine only", duckdb.OneLineError(), StringComparison.Ordinal);

        var missing = Cli.Invoke(["analyze", input, "--partition-by", "country", .. Mapping]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'country'", missing.OneLineError(), StringComparison.Ordinal);

        var empty = Cli.Invoke(["analyze", input, "--partition-by", " ", .. Mapping]);
        Assert.Equal(2, empty.ExitCode);

        var state = Path.Combine(folder, "customers.rfmstate");
        var withState = Cli.Invoke(["analyze", input, "--partition-by", "store", "--state", state, .. Mapping]);
        Assert.Equal(2, withState.ExitCode);
        Assert.Contains("--state keeps one accumulator", withState.OneLineError(), StringComparison.Ordinal);
        Assert.False(File.Exists(state));
    }

    [Fact]
    public void PartitionedResultFile_IsRefusedByMigrateAndTargets()
    {
        var folder = Cli.TempFolder();
        var (input, _) = Input(folder);
        var partitioned = Path.Combine(folder, "by-store.csv");
        var plain = Path.Combine(folder, "all.csv");
        Assert.Equal(0, Cli.Invoke(["analyze", input, "--partition-by", "store", "--out", partitioned, .. Mapping]).ExitCode);
        Assert.Equal(0, Cli.Invoke(["analyze", input, "--out", plain, .. Mapping]).ExitCode);

        var migrate = Cli.Invoke("migrate", partitioned, plain);
        var targets = Cli.Invoke(["targets", input, "--segments-of", "at_risk", "--previous", partitioned, .. Mapping]);

        foreach (var run in new[] { migrate, targets })
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("a result of rfm analyze --partition-by", run.OneLineError(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sql_PartitionBy_PartitionsEveryWindow()
    {
        var run = Cli.Invoke("sql", "--dialect", "postgres", "--table", "orders", "--as-of", "2011-12-10", "--partition-by", "Country");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("PARTITION BY partition_key", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"Country\"", run.Out, StringComparison.Ordinal);
        Assert.Contains("GROUP BY partition_key, customer_id", run.Out, StringComparison.Ordinal);
    }
}
