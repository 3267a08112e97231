namespace Rfm;

/// <summary>Rows and money excluded for one reason.</summary>
/// <param name="Reason">Why they were excluded.</param>
/// <param name="Rows">How many rows.</param>
/// <param name="Amount">The sum of their amounts.</param>
public readonly record struct ExclusionCount(ExclusionReason Reason, long Rows, decimal Amount);
