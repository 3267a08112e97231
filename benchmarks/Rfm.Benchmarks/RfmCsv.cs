namespace Rfm.Benchmarks;

/// <summary>The rfm engine's whole analysis of one CSV file, as <see cref="CsvPipelineBenchmarks"/> times it.</summary>
internal static class RfmCsv
{
    private static readonly string[] Header = OnlineRetailCsv.Header.Split(',');

    /// <summary>
    /// Reads an Online Retail II CSV file and analyses it with the default preset, as <c>rfm analyze FILE</c> does:
    /// the byte-level reader on every core, then the analysis date at midnight after the latest purchase used.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="threads">How many chunks of the file to read at once.</param>
    /// <returns>The scored customers and their segments.</returns>
    public static RfmResult Analyze(string path, int threads)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var calculator = RfmCalculator.Default;
        var accumulator = calculator.CreateAccumulator();
        if (!Utf8CsvIngestion.TryReadFile(path, Header, ",", TransactionColumns.OnlineRetailII, accumulator, threads, progress: null, CancellationToken.None))
        {
            throw new InvalidOperationException($"{path}: the byte-level reader declined the file; it is not the generated layout.");
        }

        var asOf = accumulator.LatestPurchase?.Date.AddDays(1) ?? throw new InvalidOperationException($"{path}: no row was used.");
        return calculator.Score(accumulator.Snapshot(asOf));
    }
}
