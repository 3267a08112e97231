namespace Rfm.Scoring;

/// <summary>The built-in scoring strategies.</summary>
public static class ScoringStrategies
{
    /// <summary>The fewest scores a strategy may be asked for.</summary>
    public const int MinBins = 2;

    /// <summary>The most scores a strategy may be asked for.</summary>
    public const int MaxBins = 10;

    /// <summary>
    /// Quantile scoring: edges at the linear (type 7) quantiles i / N, bins closed on the right, the lowest value in
    /// bin 1, exactly like pandas <c>qcut(x, N)</c>. Equal values always share a score. When edges coincide (many
    /// equal values) some scores are not used; the result reports it, it is never an error. The reported edges are
    /// the N + 1 quantiles, from the minimum to the maximum.
    /// </summary>
    public static IScoringStrategy Quantile { get; } = QuantileStrategy.Instance;

    /// <summary>
    /// Rank-quantile scoring: ranks 1..n with ties ranked by position (ascending customer id), then quantile bins
    /// over the ranks, exactly like pandas <c>qcut(x.rank(method="first"), N)</c>. Score sizes are as equal as the
    /// ranks allow, but customers with equal values can get different scores. Like pandas, an edge that should fall
    /// exactly on a rank can round just below it and move that one rank up a score (with 6, 7 or 9 scores), which can
    /// leave a score unused. The reported edges are over ranks 1..n.
    /// </summary>
    public static IScoringStrategy RankQuantile { get; } = RankQuantileStrategy.Instance;

    /// <summary>
    /// Fixed thresholds: a value up to and including <c>upperBounds[0]</c> scores 1, up to <c>upperBounds[1]</c>
    /// scores 2, and so on; above the last bound it scores N. So N - 1 bounds make N scores. For recency, which
    /// the calculator reverses, <c>FixedThresholds(30, 90, 180, 365)</c> gives 5 to purchases within 30 days.
    /// </summary>
    /// <param name="upperBounds">Between 1 and 9 finite bounds, strictly increasing.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite and strictly increasing, or there are too few or too many.</exception>
    public static IScoringStrategy FixedThresholds(params ReadOnlySpan<double> upperBounds) =>
        new FixedThresholdsStrategy(ScoringDescription.FixedThresholds(upperBounds));

    /// <summary>A strategy from a function that scores one value.</summary>
    /// <param name="name">A short name for summaries.</param>
    /// <param name="score">Given a value and N, returns its score from 1 to N; larger values must not get smaller scores. Must be thread-safe.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IScoringStrategy Create(string name, Func<double, int, int> score)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(score);
        return new DelegateStrategy(name, score);
    }

    /// <summary>
    /// A built-in strategy from its text form, as configuration files and command lines give it:
    /// <c>quantile</c>, <c>rank-quantile</c>, or <c>fixed:30/90/180/365</c> (the upper bounds, separated by
    /// <c>/</c>, invariant culture). Case-insensitive.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text names no built-in strategy, or its thresholds are not valid.</exception>
    public static IScoringStrategy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals(Quantile.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Quantile;
        }

        if (trimmed.Equals(RankQuantile.Name, StringComparison.OrdinalIgnoreCase))
        {
            return RankQuantile;
        }

        const string fixedPrefix = "fixed:";
        if (trimmed.StartsWith(fixedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var parts = trimmed[fixedPrefix.Length..].Split('/', StringSplitOptions.TrimEntries);
            var bounds = new double[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out bounds[i]))
                {
                    throw new FormatException($"Scoring '{text}': threshold '{parts[i]}' is not a number.");
                }
            }

            try
            {
                return FixedThresholds(bounds);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"Scoring '{text}': {ErrorMessages.Plain(ex)}", ex);
            }
        }

        throw new FormatException($"Unknown scoring '{text}': use quantile, rank-quantile or fixed:a/b/c/d.");
    }

    /// <summary>The one check of a number of scores, 2..10, wherever one is given.</summary>
    internal static void CheckBins(int bins, string parameter)
    {
        if (bins is < MinBins or > MaxBins)
        {
            throw new ArgumentOutOfRangeException(parameter, bins, $"The number of scores must be from {MinBins} to {MaxBins}.");
        }
    }

    /// <summary>The argument checks every built-in strategy makes.</summary>
    internal static void CheckArguments(ReadOnlySpan<double> values, int bins, Span<int> scores)
    {
        CheckBins(bins, nameof(bins));
        if (scores.Length != values.Length)
        {
            throw new ArgumentException($"The scores span has {scores.Length} places for {values.Length} values.", nameof(scores));
        }

        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("Values must not be NaN.", nameof(values));
            }
        }
    }
}
