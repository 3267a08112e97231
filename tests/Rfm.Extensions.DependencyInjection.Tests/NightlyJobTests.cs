using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Rfm.Segmentation;
using Crm.Nightly;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Extensions.DependencyInjection.Tests;

/// <summary>
/// The worked nightly job of docs/integration.md, run by a real host against the real PostgreSQL: two nights, the
/// second adding a day of orders to the first night's saved state, checked against one calculation over every row.
/// </summary>
public sealed class NightlyJobTests
{
    private static readonly TransactionColumns Columns = new() { Customer = "customer_id", Order = "invoice", Timestamp = "purchased_at", Amount = "amount" };
    private static readonly DateTime Night1 = new(2024, 11, 2);
    private static readonly DateTime Night2 = new(2024, 11, 3);

    [PostgresFact]
    public async Task TwoNights_EqualOneCalculationOverAllRows_WithHistoryAndTargets()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        var folder = Directory.CreateTempSubdirectory("rfm-nightly-");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { SearchPath = scope.Schema }.ConnectionString;
            await ExecuteAsync(connection, "CREATE TABLE orders (customer_id BIGINT, invoice VARCHAR(20), purchased_at TIMESTAMP, amount NUMERIC(12, 2))");

            // Day 1 and everything before it: 60 customers over the year, cancellations among them, and invoice
            // S-1 of customer 1070, new that day, whose first line is at 23:50 on 1 November.
            await ExecuteAsync(connection, $"INSERT INTO orders VALUES {string.Join(", ", History())}, (1070, 'S-1', TIMESTAMP '2024-11-01 23:50:00', 30.00)");
            await RunNightAsync(connectionString, folder.FullName, Night1);

            // Day 2: the rest of S-1 after midnight, a return to a lapsed customer, a new customer, and an order
            // after tonight's analysis date, which waits for the next night.
            await ExecuteAsync(
                connection,
                "INSERT INTO orders VALUES (1070, 'S-1', TIMESTAMP '2024-11-02 00:10:00', 12.50), (1070, 'S-1', TIMESTAMP '2024-11-02 00:20:00', 2.25), "
                + "(1023, 'D2-1', TIMESTAMP '2024-11-02 15:00:00', 480.00), (2000, 'D2-2', TIMESTAMP '2024-11-02 16:00:00', 25.00), "
                + "(1001, 'D3-1', TIMESTAMP '2024-11-03 09:00:00', 99.00)");
            await RunNightAsync(connectionString, folder.FullName, Night2);

            // The result table equals one calculation over every row, as of each night.
            var expected1 = await AllRowsAsync(connection, Night1);
            var expected2 = await AllRowsAsync(connection, Night2);
            Assert.Equal(Lines(expected2), await TableAsync(connection, "rfm_segments", Night2));
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_segments WHERE analysis_date <> TIMESTAMP '2024-11-03 00:00:00'"));

            // The invoice across midnight is one order of three lines.
            Assert.True(expected2.TryGetCustomer("1070", out var split));
            Assert.Equal((1L, 3L, 44.75m), ((long)split.Metrics.Frequency, split.Metrics.Lines, split.Metrics.Monetary));
            Assert.Equal(split.Metrics.Frequency, Convert.ToInt32(await ScalarAsync(connection, "SELECT frequency FROM rfm_segments WHERE customer_id = 1070"), CultureInfo.InvariantCulture));

            // The history holds both nights, each as that night's calculation.
            Assert.Equal(Lines(expected1), await TableAsync(connection, "rfm_history", Night1));
            Assert.Equal(Lines(expected2), await TableAsync(connection, "rfm_history", Night2));
            Assert.Equal(2L, await ScalarAsync(connection, "SELECT COUNT(DISTINCT analysis_date) FROM rfm_history"));

            // The targets: at risk and can't lose, each with last night's segment read from the history; night 1
            // had no last night, so each of its targets is new.
            var targets = CampaignTargets.Select(expected2, RfmCalculator.Default.SegmentMap, ["at_risk", "cant_lose"], expected1);
            Assert.Equal(Rows(targets), ReadCsv(Path.Combine(folder.FullName, "targets-2024-11-03.csv")));
            Assert.True(targets.Length > 3);
            Assert.Contains(targets, target => target.ChangedSegment == true);
            Assert.Contains(targets, target => target.ChangedSegment == false);
            Assert.Equal(
                Rows(CampaignTargets.Select(expected1, RfmCalculator.Default.SegmentMap, ["at_risk", "cant_lose"], [])),
                ReadCsv(Path.Combine(folder.FullName, "targets-2024-11-02.csv")));
            Assert.Equal(
                ["rfm-2024-11-02.state", "rfm-2024-11-03.state", "targets-2024-11-02.csv", "targets-2024-11-03.csv"],
                Directory.GetFiles(folder.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // Running night 2 again starts from night 1's state: the same tables, not the day's orders twice.
            await RunNightAsync(connectionString, folder.FullName, Night2);
            Assert.Equal(Lines(expected2), await TableAsync(connection, "rfm_segments", Night2));
            Assert.Equal(Lines(expected2), await TableAsync(connection, "rfm_history", Night2));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Documentation_ShowsTheCodeOfTheTest()
    {
        var page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "integration.md")).ReplaceLineEndings("\n");
        var job = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "NightlyJob.cs")).ReplaceLineEndings("\n");
        var test = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "NightlyJobTests.cs")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + Region(job, "Usings") + "\n" + Region(job, "NightlyJob") + "```\n", page, StringComparison.Ordinal);
        Assert.Contains("```csharp\n" + Region(test, "Program") + "```\n", page, StringComparison.Ordinal);
    }

    // One night: the host as docs/integration.md builds it, with the night's analysis date in its configuration.
    private static async Task RunNightAsync(string connectionString, string folder, DateTime night)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rfm:AsOf"] = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Nightly:ConnectionString"] = connectionString,
            ["Nightly:StateDirectory"] = folder,
            ["Nightly:ExportDirectory"] = folder,
        });

        // docs/integration.md: Program
        builder.Services.AddRfm(builder.Configuration.GetSection("Rfm"));
        builder.Services.Configure<NightlyRfmOptions>(builder.Configuration.GetSection("Nightly"));
        builder.Services.AddSingleton<NightlyRfmJob>();
        builder.Services.AddHostedService<NightlyRfmService>();
        // docs/integration.md: end

        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetServices<IHostedService>().OfType<NightlyRfmService>().Single().ExecuteTask!;
        await host.WaitForShutdownAsync();
    }

    // Every order before the night, read at once into one calculation.
    private static async Task<RfmResult> AllRowsAsync(NpgsqlConnection connection, DateTime night)
    {
        await using var command = new NpgsqlCommand("SELECT * FROM orders WHERE purchased_at < @night", connection);
        command.Parameters.AddWithValue("night", night);
        await using var reader = await command.ExecuteReaderAsync();
        return await RfmCalculator.Default.CalculateAsync(reader, Columns, night);
    }

    // Sixty customers with one to nine orders each, spread over the year before 1 November; some cancelled.
    private static IEnumerable<string> History() =>
        Enumerable.Range(0, 60).SelectMany(c => Enumerable.Range(0, (c % 9) + 1).Select(k => FormattableString.Invariant(
            $"({1000 + c}, '{(k == 4 && c % 5 == 0 ? "C" : "INV")}{c}-{k}', TIMESTAMP '{new DateTime(2024, 1, 1).AddDays((c * 37 % 200) + (k * 11)).AddHours(c % 24):yyyy-MM-dd HH:mm:ss}', {((c * 17 % 300) + (k * 3) + 5) / 2m:0.00})")));

    private static List<string> Lines(RfmResult result) =>
        [.. result.Customers.Select(c => string.Join(
            '|',
            result.AsOf.ToString("s", CultureInfo.InvariantCulture), c.CustomerId, c.Metrics.Recency, c.Metrics.Frequency, c.Metrics.Monetary.ToString("G29", CultureInfo.InvariantCulture),
            c.Metrics.FirstPurchase.ToString("s", CultureInfo.InvariantCulture), c.Metrics.LastPurchase.ToString("s", CultureInfo.InvariantCulture),
            c.Metrics.Lines, c.Metrics.Tenure, c.Score.R, c.Score.F, c.Score.M, c.Segment.Key, c.Segment.Name, c.Segment.SuggestedAction, c.Segment.SuggestedChannel))];

    // A result or history table's rows for one night, as Lines writes them, in the result's order (ids as text).
    private static async Task<List<string>> TableAsync(NpgsqlConnection connection, string table, DateTime night)
    {
        await using var command = new NpgsqlCommand($"SELECT * FROM {table} WHERE analysis_date = @night", connection);
        command.Parameters.AddWithValue("night", night);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<(string Id, string Line)>();
        while (await reader.ReadAsync())
        {
            string Text(string column) => Convert.ToString(reader[column], CultureInfo.InvariantCulture)!;
            string Time(string column) => reader.GetDateTime(reader.GetOrdinal(column)).ToString("s", CultureInfo.InvariantCulture);
            var id = reader.GetInt64(reader.GetOrdinal("customer_id")).ToString(CultureInfo.InvariantCulture);
            lines.Add((id, string.Join(
                '|',
                Time("analysis_date"), id, Text("recency"), Text("frequency"), reader.GetDecimal(reader.GetOrdinal("monetary")).ToString("G29", CultureInfo.InvariantCulture),
                Time("first_purchase"), Time("last_purchase"), Text("lines"), Text("tenure"), Text("r_score"), Text("f_score"), Text("m_score"),
                Text("segment_key"), Text("segment_name"), Text("action"), Text("channel"))));
        }

        return [.. lines.OrderBy(line => line.Id, StringComparer.Ordinal).Select(line => line.Line)];
    }

    // The target list as the export's fields: id, segment, action, channel, previous segment, changed.
    private static List<string[]> Rows(IEnumerable<CampaignTarget> targets) =>
        [
            ["customer_id", "segment", "action", "channel", "previous_segment", "changed"],
            .. targets.Select(t => new[] { t.CustomerId, t.Segment.Key, t.SuggestedAction, t.SuggestedChannel, t.PreviousSegment?.Key ?? "", t.ChangedSegment == true ? "yes" : "no" }),
        ];

    // RFC 4180: fields separated by commas, a quoted field's quotes doubled, records ended by a line feed.
    private static List<string[]> ReadCsv(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c is ',' or '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                if (c == '\n')
                {
                    records.Add([.. fields]);
                    fields.Clear();
                }
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.False(quoted || field.Length > 0 || fields.Count > 0, "the file does not end with a whole record");
        return records;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string Region(string source, string name)
    {
        var lines = source.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "// docs/integration.md: " + name) + 1;
        var end = Array.FindIndex(lines, start, l => l.Trim() == "// docs/integration.md: end");
        Assert.True(start > 0 && end > start, $"region {name} not found");
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        var builder = new StringBuilder();
        foreach (var line in lines[start..end])
        {
            builder.Append(line.Length >= indent ? line[indent..] : line.TrimStart()).Append('\n');
        }

        return builder.ToString();
    }
}
