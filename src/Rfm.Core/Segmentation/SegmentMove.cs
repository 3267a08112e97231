namespace Rfm.Segmentation;

/// <summary>One customer's segment in two results: what a CRM integration writes back when it changed.</summary>
/// <param name="CustomerId">The customer id.</param>
/// <param name="From">The segment in the earlier result; <see langword="null"/> for a new customer.</param>
/// <param name="To">The segment in the later result; <see langword="null"/> for a customer gone.</param>
/// <param name="Direction">How the segment changed.</param>
public readonly record struct SegmentMove(string CustomerId, Segment? From, Segment? To, MigrationDirection Direction);
