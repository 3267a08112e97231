using BenchmarkDotNet.Attributes;
using Rfm.Analytics;

namespace Rfm.Benchmarks;

/// <summary>
/// What the CRM analytics cost next to plain RFM: reading Online-Retail-shaped rows into an accumulator (the
/// baseline), the same keeping every order and making the history, and KPIs and cohorts on a ready history, per month
/// and per week in a time zone.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AnalyticsBenchmarks
{
    private static readonly PeriodCalendar Months = new(PeriodUnit.Month);
    private static readonly PeriodCalendar BerlinWeeks = new(PeriodUnit.Week) { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin") };

    private Transaction[] _rows = [];
    private OrderHistory? _history;

    /// <summary>Rows in the log.</summary>
    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>The size of the customer pool.</summary>
    [Params(100_000)]
    public int Customers { get; set; }

    /// <summary>Generates the rows once per process.</summary>
    [GlobalSetup(Targets = [nameof(Accumulate), nameof(AccumulateKeepingOrders)])]
    public void Setup() => _rows = OnlineRetailGenerator.Generate(Rows, Customers);

    /// <summary>The rows, read once into a history for the benchmarks that start from one.</summary>
    [GlobalSetup(Targets = [nameof(KpisPerMonth), nameof(CohortsPerMonth), nameof(KpisPerWeekInBerlin)])]
    public void SetupHistory()
    {
        Setup();
        _history = Read(keepOrders: true).History();
        _rows = [];
    }

    /// <summary>The baseline: per-customer metrics only.</summary>
    /// <returns>The metrics.</returns>
    [Benchmark(Baseline = true, Description = "accumulate (RFM only)")]
    public MetricsSnapshot Accumulate() => Read(keepOrders: false).Snapshot();

    /// <summary>The same rows, keeping every order, and the history made from them.</summary>
    /// <returns>The history.</returns>
    [Benchmark(Description = "accumulate keeping orders + History()")]
    public OrderHistory AccumulateKeepingOrders() => Read(keepOrders: true).History();

    /// <summary>Every monthly KPI from a ready history.</summary>
    /// <returns>The KPIs.</returns>
    [Benchmark(Description = "Kpis, month")]
    public int KpisPerMonth() => _history!.Kpis(Months).Length;

    /// <summary>The monthly cohort table from a ready history, every cell made.</summary>
    /// <returns>The cells.</returns>
    [Benchmark(Description = "Cohorts, month")]
    public int CohortsPerMonth() => _history!.Cohorts(Months).Cells.Length;

    /// <summary>Weekly KPIs with timestamps taken as UTC and periods cut at midnight in Berlin.</summary>
    /// <returns>The KPIs.</returns>
    [Benchmark(Description = "Kpis, week, Europe/Berlin")]
    public int KpisPerWeekInBerlin() => _history!.Kpis(BerlinWeeks).Length;

    private RfmAccumulator Read(bool keepOrders)
    {
        var accumulator = new RfmAccumulator(OnlineRetailGenerator.AsOf, TransactionPolicy.Default, keepOrders);
        accumulator.AddRange(new ReadOnlySpan<Transaction>(_rows));
        return accumulator;
    }
}
