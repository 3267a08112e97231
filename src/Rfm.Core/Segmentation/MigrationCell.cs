namespace Rfm.Segmentation;

/// <summary>One cell of a segment migration matrix.</summary>
/// <param name="From">The earlier segment; <see langword="null"/> for customers new in the later result.</param>
/// <param name="To">The later segment; <see langword="null"/> for customers gone from it.</param>
/// <param name="Customers">How many customers moved so.</param>
/// <param name="ShareOfFrom">Their share of the <paramref name="From"/> row, from 0 to 1 (0 for an empty row).</param>
public sealed record MigrationCell(Segment? From, Segment? To, int Customers, double ShareOfFrom);
