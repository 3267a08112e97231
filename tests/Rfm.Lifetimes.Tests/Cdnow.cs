using System.Globalization;

namespace Rfm.Lifetimes.Tests;

/// <summary>The CDNOW data of the papers, as bundled in data/cdnow, and the independent golden files made from it.</summary>
internal static class Cdnow
{
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);
    public static readonly DateOnly HoldoutEnd = new(1998, 6, 30);

    // The papers count every purchase, $0.00 ones included (8 in the sample).
    public static readonly TransactionPolicy KeepZeroPurchases = TransactionPolicy.Default with { ExcludeNonPositive = false };

    private static readonly Lazy<CalibrationSummary> SampleSummary = new(() => Summarise("CDNOW_sample.txt", TimeUnit.Week));

    public static CalibrationSummary Sample => SampleSummary.Value;

    public static CalibrationSummary Summarise(string file, TimeUnit unit) =>
        CalibrationSummary.From(Transactions(file), CalibrationEnd, HoldoutEnd, unit, KeepZeroPurchases);

    /// <summary>Reads a CDNOW text file: whitespace-separated master id, [sample id,] yyyyMMdd date, CDs, dollars.</summary>
    public static IEnumerable<Transaction> Transactions(string file)
    {
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "cdnow", file)))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0] == "customer_id")
            {
                continue;
            }

            var date = DateTime.ParseExact(fields[^3], "yyyyMMdd", CultureInfo.InvariantCulture);
            yield return new Transaction(fields[0], null, date, decimal.Parse(fields[^1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The rows of a golden CSV file (no quoting in these files), header first.</summary>
    public static List<string[]> Golden(string file) =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "golden", file)).Select(line => line.Split(','))];

    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The published parameters, which the golden predictions are evaluated at.</summary>
    public static readonly BgNbdModel PublishedBgNbd = new(0.243, 4.414, 0.793, 2.426);

    /// <summary>The MBG/NBD estimates of lifetimes' and BTYDplus' CDNOW examples.</summary>
    public static readonly MbgNbdModel PublishedMbgNbd = new(0.525, 6.183, 0.891, 1.614);

    public static readonly ParetoNbdModel PublishedParetoNbd = new(0.553, 10.578, 0.606, 11.669);

    public static readonly GammaGammaModel PublishedGammaGamma = new(6.25, 3.74, 15.44);
}
