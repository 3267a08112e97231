using System.Globalization;

namespace Rfm.Sql.Tests;

/// <summary>Comparisons of results that say which customer and which field differ.</summary>
internal static class Same
{
    public static void Result(RfmResult expected, RfmResult actual)
    {
        Assert.Equal(Lines(expected), Lines(actual));
        Ingestion(expected.Ingestion, actual.Ingestion);
        Assert.Equal(expected.AsOf, actual.AsOf);
    }

    public static void Ingestion(IngestionSummary expected, IngestionSummary actual)
    {
        Assert.Equal(Line(expected), Line(actual));
    }

    /// <summary>Every customer as one line; decimals compared by value (2.50 is 2.5).</summary>
    public static IEnumerable<string> Lines(RfmResult result) => result.Customers.Select(c =>
        string.Join(
            '|',
            c.CustomerId, c.Metrics.Recency, c.Metrics.Frequency, Money(c.Metrics.Monetary), c.Metrics.FirstPurchase.ToString("O", CultureInfo.InvariantCulture),
            c.Metrics.LastPurchase.ToString("O", CultureInfo.InvariantCulture), c.Metrics.Lines, c.Metrics.Tenure, c.Score, c.Segment.Key));

    public static string Line(IngestionSummary s) =>
        $"read {s.RowsRead} {Money(s.AmountRead)}, used {s.RowsUsed} {Money(s.AmountUsed)}, excluded {s.RowsExcluded} {Money(s.AmountExcluded)}, customers {s.Customers}: "
        + string.Join(", ", s.Exclusions.Select(e => $"{e.Reason} {e.Rows} {Money(e.Amount)}"));

    private static string Money(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);
}
