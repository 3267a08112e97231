using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Rfm.Lifetimes;

namespace Rfm.Benchmarks;

/// <summary>
/// The CLV models on the CDNOW data of the papers (calibration to 1997-09-30, holdout to 1998-06-30, weeks): BG/NBD
/// fitted to the 2,357-customer sample (the baseline) and to the full 23,570-customer master file, Pareto/NBD and
/// Gamma-Gamma fitted to the sample, the calibration summary of the master file built from its rows, and 52-week CLV
/// for every master customer.
/// </summary>
/// <remarks>
/// Every fit includes its standard errors. The summaries count $0.00 purchases, as the papers do, except for CLV:
/// a master customer's repeat purchases are all $0.00, which the Gamma-Gamma model cannot describe, so CLV uses
/// <see cref="TransactionPolicy.Default"/> (positive amounts only). Every benchmark case runs in a process of its
/// own, so each sets up only what it uses.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class LifetimesBenchmarks
{
    private const int ClvHorizonWeeks = 52;

    private Transaction[] _masterRows = [];
    private ImmutableArray<CustomerActivity> _master = [];
    private ImmutableArray<CustomerActivity> _sample = [];
    private CustomerActivity[] _sampleRepeat = [];
    private ImmutableArray<CustomerActivity> _clvCustomers = [];
    private ClvCalculator? _clv;

    /// <summary>The sample's customers, and those of them with repeat purchases.</summary>
    [GlobalSetup(Targets = [nameof(BgNbdSample), nameof(ParetoNbdSample), nameof(GammaGammaSample)])]
    public void SetupSample()
    {
        _sample = CdnowData.Summarise(CdnowData.Read(CdnowData.Sample), CdnowData.KeepZeroPurchases).Customers;
        _sampleRepeat = [.. _sample.Where(c => c.RepeatPurchases > 0)];
    }

    /// <summary>The master file's customers.</summary>
    [GlobalSetup(Target = nameof(BgNbdMaster))]
    public void SetupMaster() =>
        _master = CdnowData.Summarise(CdnowData.Read(CdnowData.Master), CdnowData.KeepZeroPurchases).Customers;

    /// <summary>The master file's rows, parsed.</summary>
    [GlobalSetup(Target = nameof(SummaryMaster))]
    public void SetupMasterRows() => _masterRows = CdnowData.Read(CdnowData.Master);

    /// <summary>The master file's customers with positive amounts only, and BG/NBD and Gamma-Gamma fitted to them.</summary>
    [GlobalSetup(Targets = [nameof(ClvMaster), nameof(ClvMasterOneByOne)])]
    public void SetupClv()
    {
        _clvCustomers = CdnowData.Summarise(CdnowData.Read(CdnowData.Master), TransactionPolicy.Default).Customers;
        _clv = new ClvCalculator(BgNbdModel.Fit(_clvCustomers), GammaGammaModel.Fit(_clvCustomers), ClvHorizonWeeks, TimeUnit.Week);
    }

    /// <summary>BG/NBD fitted to the sample's 2,357 customers.</summary>
    /// <returns>The fitted model.</returns>
    [Benchmark(Baseline = true, Description = "BG/NBD fit, sample")]
    public BgNbdModel BgNbdSample() => BgNbdModel.Fit(_sample);

    /// <summary>BG/NBD fitted to the master file's 23,570 customers.</summary>
    /// <returns>The fitted model.</returns>
    [Benchmark(Description = "BG/NBD fit, master")]
    public BgNbdModel BgNbdMaster() => BgNbdModel.Fit(_master);

    /// <summary>Pareto/NBD fitted to the sample's 2,357 customers.</summary>
    /// <returns>The fitted model.</returns>
    [Benchmark(Description = "Pareto/NBD fit, sample")]
    public ParetoNbdModel ParetoNbdSample() => ParetoNbdModel.Fit(_sample);

    /// <summary>Gamma-Gamma fitted to the sample's customers with repeat purchases.</summary>
    /// <returns>The fitted model.</returns>
    [Benchmark(Description = "Gamma-Gamma fit, sample")]
    public GammaGammaModel GammaGammaSample() => GammaGammaModel.Fit(_sampleRepeat);

    /// <summary>The master file's calibration summary, from its 69,659 parsed rows.</summary>
    /// <returns>The summary.</returns>
    [Benchmark(Description = "CalibrationSummary, master")]
    public CalibrationSummary SummaryMaster() => CdnowData.Summarise(_masterRows, CdnowData.KeepZeroPurchases);

    /// <summary>52-week CLV (BG/NBD and Gamma-Gamma at their fitted parameters) of every master customer, as one batch.</summary>
    /// <returns>The values, one per customer.</returns>
    [Benchmark(Description = "CLV 52 weeks, master")]
    public ImmutableArray<CustomerValue> ClvMaster() => _clv!.Calculate(_clvCustomers);

    /// <summary>The same, one customer at a time: what the batch saves by working out each distinct history once.</summary>
    /// <returns>The values, one per customer.</returns>
    [Benchmark(Description = "CLV 52 weeks, master, one by one")]
    public CustomerValue[] ClvMasterOneByOne()
    {
        var values = new CustomerValue[_clvCustomers.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _clv!.Calculate(_clvCustomers[i]);
        }

        return values;
    }
}
