namespace Rfm;

/// <summary>One partition's analysis: its name and its result, as a separate analysis of its rows alone gives it.</summary>
/// <param name="Partition">The partition's name (<c>""</c> for rows without one).</param>
/// <param name="Result">The partition's result.</param>
public readonly record struct RfmPartition(string Partition, RfmResult Result);
