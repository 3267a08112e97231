namespace Rfm.Scoring;

/// <summary>The customers that received one score of one metric, and the range of their values.</summary>
/// <param name="Score">The score, as customers have it (for recency, 5 of 5 is the most recent).</param>
/// <param name="Customers">How many customers received it.</param>
/// <param name="Min">The smallest value among them.</param>
/// <param name="Max">The largest value among them.</param>
public readonly record struct ScoreBand(int Score, int Customers, decimal Min, decimal Max);
