namespace Rfm.Scoring;

/// <summary>Linear (type 7) quantile edges and right-closed binning, computed the way numpy and pandas do.</summary>
internal static class Quantiles
{
    /// <summary>
    /// The N + 1 edges at probabilities i / N of sorted values. The probabilities, the virtual index and the
    /// interpolation repeat numpy's floating-point steps exactly (<c>linspace</c>, <c>(n - 1) * p</c>, and a lerp
    /// that interpolates from the nearer end), so that values on an edge fall in the same bin as in pandas.
    /// </summary>
    public static double[] Edges(double[] sorted, int bins) => Edges(sorted.Length, bins, i => sorted[i]);

    /// <summary>The edges of ranks 1..n, without materialising them: the value at sorted position i is i + 1.</summary>
    public static double[] RankEdges(int n, int bins) => Edges(n, bins, i => i + 1);

    // Called N + 1 times per metric, so the delegate costs nothing that matters.
    private static double[] Edges(int n, int bins, Func<int, double> sortedValueAt)
    {
        var edges = new double[bins + 1];
        var step = 1.0 / bins;
        for (var i = 0; i <= bins; i++)
        {
            var probability = i == bins ? 1.0 : i * step;
            var index = (n - 1) * probability;
            if (index >= n - 1)
            {
                edges[i] = sortedValueAt(n - 1);
                continue;
            }

            var lower = (int)Math.Floor(index);
            var gamma = index - lower;
            var a = sortedValueAt(lower);
            var b = sortedValueAt(lower + 1);
            var difference = b - a;
            edges[i] = gamma >= 0.5 ? b - (difference * (1 - gamma)) : a + (difference * gamma);
        }

        return edges;
    }

    /// <summary>
    /// The bin of a value: bin k holds (edge[k-1], edge[k]], and the lowest edge belongs to bin 1
    /// (pandas <c>cut(..., right=True, include_lowest=True)</c>). With coinciding edges some bins stay empty.
    /// </summary>
    public static int Bin(ReadOnlySpan<double> edges, double value)
    {
        var below = 0;
        while (below < edges.Length && edges[below] < value)
        {
            below++;
        }

        return Math.Clamp(below, 1, edges.Length - 1);
    }
}
