// docs/integration.md: Usings
using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Rfm;
using Rfm.Extensions.DependencyInjection;
using Rfm.Segmentation;
using Rfm.Sql;
// docs/integration.md: end

namespace Crm.Nightly;

// docs/integration.md: NightlyJob
/// <summary>Where the nightly job reads, keeps its state and writes.</summary>
public sealed class NightlyRfmOptions
{
    /// <summary>The CRM's PostgreSQL database.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The folder of the saved states, one file per night.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>The folder the campaign target lists are exported to.</summary>
    public string ExportDirectory { get; set; } = "";
}

/// <summary>What one night did.</summary>
public sealed record NightlyRun(DateTime AsOf, long RowsRead, int Customers, ImmutableArray<CampaignTarget> Targets, string TargetFile);

/// <summary>
/// One night: the day's new orders added to yesterday's saved state, the union scored, the result and its history
/// written back to the CRM in one transaction, and the campaign target list exported.
/// </summary>
public sealed class NightlyRfmJob(RfmEngine rfm, IOptions<NightlyRfmOptions> options)
{
    private static readonly TransactionColumns Columns = new() { Customer = "customer_id", Order = "invoice", Timestamp = "purchased_at", Amount = "amount" };
    private static readonly SqlTableName Results = new("rfm_segments");
    private static readonly SqlTableName History = new("rfm_history");
    private static readonly string[] Campaign = ["at_risk", "cant_lose"];

    public async Task<NightlyRun> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var calculator = rfm.Calculator;
        var asOf = rfm.AsOf.Date;                 // tonight's analysis date: midnight ending the day read
        var yesterday = asOf.AddDays(-1);
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        // Yesterday's state, if any: then only the day's orders are read; without it, every order before tonight.
        var state = LoadState(StatePath(settings, yesterday), calculator.Policy);
        var today = calculator.CreateAccumulator();   // no cut-off: the state is scored as of any night
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = state is null
                ? "SELECT customer_id, invoice, purchased_at, amount FROM orders WHERE purchased_at < @to"
                : "SELECT customer_id, invoice, purchased_at, amount FROM orders WHERE purchased_at >= @from AND purchased_at < @to";
            // Wall-clock times go as `timestamp` (Unspecified): a UTC DateTime would go as timestamptz and shift with the session's time zone.
            command.Parameters.AddWithValue("from", DateTime.SpecifyKind(yesterday, DateTimeKind.Unspecified));
            command.Parameters.AddWithValue("to", DateTime.SpecifyKind(asOf, DateTimeKind.Unspecified));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await today.AddAsync(reader, Columns, cancellationToken: cancellationToken);
        }

        // An order whose lines span both days counts once: the state keeps every customer's distinct orders.
        state ??= calculator.CreateAccumulator();
        state.Merge(today);
        SaveState(state, StatePath(settings, asOf));  // tonight's file; yesterday's stays, so a rerun starts again from it

        var result = calculator.Calculate(state, asOf);

        // The result and its history, and last night's segments, in one transaction.
        var writer = new SqlResultWriter(SqlDialect.PostgreSql, SqlCustomerIdType.BigInt);
        var generator = new RfmSqlGenerator(SqlDialect.PostgreSql, calculator);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await writer.WriteAsync(connection, result, Results, History, transaction, cancellationToken);
        var lastNight = await generator.ReadSegmentsAsync(connection, History, yesterday, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The campaign: at risk and can't lose, with whether each customer changed segment since last night.
        var targets = CampaignTargets.Select(result, calculator.SegmentMap, Campaign, lastNight);
        var file = Path.Combine(settings.ExportDirectory, $"targets-{asOf:yyyy-MM-dd}.csv");
        WriteAtomically(file, stream => WriteTargets(stream, targets));
        return new NightlyRun(asOf, today.RowsRead, result.Customers.Length, targets, file);
    }

    private static string StatePath(NightlyRfmOptions settings, DateTime night) =>
        Path.Combine(settings.StateDirectory, $"rfm-{night:yyyy-MM-dd}.state");

    private static RfmAccumulator? LoadState(string path, TransactionPolicy policy)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var file = File.OpenRead(path);
        return RfmAccumulator.Load(file, policy);
    }

    private static void SaveState(RfmAccumulator state, string path) => WriteAtomically(path, state.Save);

    // Written beside the file, then moved over it: a reader sees the old file or the new one, never half of one.
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            write(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteTargets(Stream stream, ImmutableArray<CampaignTarget> targets)
    {
        using var csv = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        csv.Write("customer_id,segment,action,channel,previous_segment,changed\n");
        foreach (var target in targets)
        {
            string[] fields =
            [
                target.CustomerId, target.Segment.Key, target.SuggestedAction, target.SuggestedChannel,
                target.PreviousSegment?.Key ?? "", target.ChangedSegment == true ? "yes" : "no",
            ];
            csv.Write(string.Join(',', fields.Select(Quote)) + "\n");
        }
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}

/// <summary>Runs one night when the scheduler (cron, a Kubernetes CronJob) starts the process, then stops it.</summary>
public sealed class NightlyRfmService(NightlyRfmJob job, IHostApplicationLifetime lifetime, ILogger<NightlyRfmService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var night = await job.RunAsync(stoppingToken);
            log.LogInformation(
                "RFM as of {AsOf:yyyy-MM-dd}: {Rows} new rows, {Customers} customers written, {Targets} campaign targets in {File}",
                night.AsOf, night.RowsRead, night.Customers, night.Targets.Length, night.TargetFile);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
// docs/integration.md: end
