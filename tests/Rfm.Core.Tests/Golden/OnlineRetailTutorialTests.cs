using System.Globalization;

namespace Rfm.Tests.Golden;

/// <summary>
/// The tutorial preset on the real UCI Online Retail data against the output of the pandas pipeline
/// (tests/golden/online_retail_tutorial.py, made with pandas, independently of this library).
/// </summary>
public sealed class OnlineRetailTutorialTests
{
    private static readonly DateTime AsOf = new(2011, 12, 11);
    private static readonly Lazy<RfmResult> Result = new(() =>
    {
        using var reader = TestData.OpenOnlineRetail();
        return RfmCalculator.Tutorial.Calculate(reader, TransactionColumns.OnlineRetail, AsOf);
    });

    [Fact]
    public void TutorialPreset_EveryCustomer_EqualsPandas()
    {
        var expected = ReadGolden();
        var result = Result.Value;

        Assert.Equal(expected.Count, result.Customers.Length);
        var mismatches = new List<string>();
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = result.Customers[i];
            var actual = new GoldenRow(
                got.CustomerId,
                got.Metrics.Recency,
                got.Metrics.Frequency,
                got.Metrics.Monetary,
                got.Score.R,
                got.Score.F,
                got.Score.M,
                got.Segment.Key);
            if (actual != want)
            {
                mismatches.Add($"expected {want}, got {actual}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} customers differ; first: {string.Join(Environment.NewLine, mismatches.Take(5))}");
    }

    [Fact]
    public void TutorialPreset_Ingestion_MatchesPandasStepCounts()
    {
        var ingestion = Result.Value.Ingestion;

        Assert.Equal(541_909, ingestion.RowsRead);
        Assert.Equal(135_080, ingestion.Excluded(ExclusionReason.MissingCustomer).Rows);
        Assert.Equal(8_905, ingestion.Excluded(ExclusionReason.Cancellation).Rows);
        Assert.Equal(397_924, ingestion.RowsUsed);
        Assert.Equal(4_339, ingestion.Customers);
        Assert.Equal(ingestion.RowsRead, ingestion.RowsUsed + ingestion.RowsExcluded);
        Assert.Equal(ingestion.AmountRead, ingestion.AmountUsed + ingestion.AmountExcluded);

        // The sum of Quantity x UnitPrice over the whole file, computed exactly.
        Assert.Equal(9_747_747.934m, ingestion.AmountRead);
    }

    [Fact]
    public void TutorialPreset_RecencyEdges_EqualPandasQcutEdges()
    {
        // pandas.qcut(recency, 5) edges printed by the golden script, to the last bit.
        Assert.Equal("1 14.200000000000045 33 72 180 374", string.Join(" ", Result.Value.Recency.Edges.Select(e => e.ToString("R", CultureInfo.InvariantCulture))));
        Assert.Equal([1.0, 868.6, 1736.2, 2603.8, 3471.4, 4339.0], Result.Value.Frequency.Edges.ToArray());
        Assert.Equal(5, Result.Value.Monetary.DistinctScores);
    }

    private static List<GoldenRow> ReadGolden()
    {
        var lines = File.ReadAllLines(TestData.GoldenPath("online_retail_tutorial.csv"));
        Assert.Equal("customer_id,recency,frequency,monetary,r,f,m,segment", lines[0]);
        return
        [
            .. lines.Skip(1).Select(line =>
            {
                var f = line.Split(',');
                return new GoldenRow(
                    f[0],
                    int.Parse(f[1], CultureInfo.InvariantCulture),
                    int.Parse(f[2], CultureInfo.InvariantCulture),
                    decimal.Parse(f[3], CultureInfo.InvariantCulture),
                    int.Parse(f[4], CultureInfo.InvariantCulture),
                    int.Parse(f[5], CultureInfo.InvariantCulture),
                    int.Parse(f[6], CultureInfo.InvariantCulture),
                    f[7]);
            }),
        ];
    }

    private sealed record GoldenRow(string CustomerId, int Recency, int Frequency, decimal Monetary, int R, int F, int M, string Segment);
}
