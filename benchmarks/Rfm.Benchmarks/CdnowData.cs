using System.Globalization;
using Rfm.Lifetimes;

namespace Rfm.Benchmarks;

/// <summary>
/// The CDNOW transaction logs bundled in <c>data/cdnow</c> (the data of the BG/NBD and Pareto/NBD papers), read into
/// memory, with the periods and policy of the published analyses.
/// </summary>
internal static class CdnowData
{
    /// <summary>The full log: 69,659 rows of 23,570 customers, with a header line.</summary>
    public const string Master = "CDNOW_master.txt";

    /// <summary>The papers' 1/10th sample: 6,919 rows of 2,357 customers, no header.</summary>
    public const string Sample = "CDNOW_sample.txt";

    /// <summary>The last day of calibration, 39 weeks after the first purchases.</summary>
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);

    /// <summary>The last day of the holdout period, 39 weeks later.</summary>
    public static readonly DateOnly HoldoutEnd = new(1998, 6, 30);

    /// <summary>The papers count every purchase, $0.00 ones included.</summary>
    public static readonly TransactionPolicy KeepZeroPurchases = TransactionPolicy.Default with { ExcludeNonPositive = false };

    /// <summary>
    /// Reads a CDNOW file: whitespace-separated customer id, [sample id,] yyyyMMdd date, CDs, dollars; each row one
    /// order without an order id, keyed by the master file's customer id.
    /// </summary>
    /// <param name="file">The file name in <c>data/cdnow</c>.</param>
    /// <returns>The rows.</returns>
    public static Transaction[] Read(string file)
    {
        var rows = new List<Transaction>();
        foreach (var line in File.ReadLines(Path.Combine(Directory(), file)))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0] == "customer_id")
            {
                continue;
            }

            var date = DateTime.ParseExact(fields[^3], "yyyyMMdd", CultureInfo.InvariantCulture);
            rows.Add(new Transaction(fields[0], null, date, decimal.Parse(fields[^1], CultureInfo.InvariantCulture)));
        }

        return [.. rows];
    }

    /// <summary>Summarises rows over the papers' periods, in weeks.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="policy">Which rows count.</param>
    /// <returns>The summary.</returns>
    public static CalibrationSummary Summarise(Transaction[] rows, TransactionPolicy policy) =>
        CalibrationSummary.From(rows, CalibrationEnd, HoldoutEnd, TimeUnit.Week, policy);

    // The repository's data/cdnow, found by walking up from the benchmark's binaries (BenchmarkDotNet runs each case
    // from a generated project under bin/, so no fixed relative path works).
    private static string Directory()
    {
        for (var at = new DirectoryInfo(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            var candidate = Path.Combine(at.FullName, "data", "cdnow");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No data/cdnow above {AppContext.BaseDirectory}.");
    }
}
