using System.Collections.Immutable;

namespace Rfm.Segmentation;

/// <summary>
/// How customers moved between segments from one result to another (last night's and tonight's, or as of two
/// dates): the transition matrix, each customer's move, and the customers whose segment changed.
/// </summary>
/// <remarks>
/// Up and down follow the order of <see cref="ISegmentMap.Segments"/>, which the built-in maps list from the most to
/// the least valuable. Customers are matched by id (ordinal); one present on one side only is new or gone.
/// </remarks>
public sealed class SegmentMigration
{
    private readonly Dictionary<(Segment? From, Segment? To), int> _counts;

    private SegmentMigration(ImmutableArray<Segment> segments, ImmutableArray<SegmentMove> moves, Dictionary<(Segment? From, Segment? To), int> counts)
    {
        Segments = segments;
        Moves = moves;
        _counts = counts;
        Changed = [.. moves.Where(move => move.Direction != MigrationDirection.Unchanged)];

        // The segments, then null: new customers as a row, gone ones as a column (no customer is both).
        Segment?[] axis = [.. segments, null];
        var cells = ImmutableArray.CreateBuilder<MigrationCell>();
        foreach (var from in axis)
        {
            var row = axis.Sum(to => Count(from, to));
            foreach (var to in axis.Where(to => from is not null || to is not null))
            {
                var customers = Count(from, to);
                cells.Add(new MigrationCell(from, to, customers, row == 0 ? 0 : (double)customers / row));
            }
        }

        Cells = cells.ToImmutable();
    }

    /// <summary>The matrix's segments in the map's order, then any other segment either result holds, by key.</summary>
    public ImmutableArray<Segment> Segments { get; }

    /// <summary>Every customer of either result, ordered by customer id (ordinal).</summary>
    public ImmutableArray<SegmentMove> Moves { get; }

    /// <summary>The customers whose segment changed, new and gone ones included, ordered by customer id.</summary>
    public ImmutableArray<SegmentMove> Changed { get; }

    /// <summary>
    /// The matrix as tidy rows: every earlier segment (then new customers, <see cref="MigrationCell.From"/> null) against
    /// every later segment (then gone, <see cref="MigrationCell.To"/> null), empty cells included.
    /// </summary>
    public ImmutableArray<MigrationCell> Cells { get; }

    /// <summary>Compares two results made with the same segment map.</summary>
    /// <param name="before">The earlier result.</param>
    /// <param name="after">The later result.</param>
    /// <param name="map">The map both results used; its segment order says which way is up.</param>
    /// <returns>The migration.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static SegmentMigration Between(RfmResult before, RfmResult after, ISegmentMap map)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(map);

        var ranked = map.Segments.Distinct().ToArray();
        var rank = new Dictionary<Segment, int>();
        foreach (var segment in ranked)
        {
            rank.Add(segment, rank.Count);
        }

        var moves = ImmutableArray.CreateBuilder<SegmentMove>(Math.Max(before.Customers.Length, after.Customers.Length));
        var counts = new Dictionary<(Segment? From, Segment? To), int>();
        var earlier = before.Customers;
        var later = after.Customers;
        int i = 0, j = 0;
        while (i < earlier.Length || j < later.Length)
        {
            // Both results list customers by id (ordinal), so one merge pass pairs them.
            var order = i == earlier.Length ? 1 : j == later.Length ? -1 : string.CompareOrdinal(earlier[i].CustomerId, later[j].CustomerId);
            SegmentMove move;
            if (order < 0)
            {
                move = new SegmentMove(earlier[i].CustomerId, earlier[i].Segment, null, MigrationDirection.Gone);
                i++;
            }
            else if (order > 0)
            {
                move = new SegmentMove(later[j].CustomerId, null, later[j].Segment, MigrationDirection.New);
                j++;
            }
            else
            {
                move = new SegmentMove(earlier[i].CustomerId, earlier[i].Segment, later[j].Segment, Direction(earlier[i].Segment, later[j].Segment, rank));
                i++;
                j++;
            }

            moves.Add(move);
            counts[(move.From, move.To)] = counts.GetValueOrDefault((move.From, move.To)) + 1;
        }

        var others = counts.Keys.SelectMany(key => new[] { key.From, key.To })
            .OfType<Segment>()
            .Where(segment => !rank.ContainsKey(segment))
            .Distinct()
            .OrderBy(segment => segment.Key, StringComparer.Ordinal);
        return new SegmentMigration([.. ranked, .. others], moves.ToImmutable(), counts);
    }

    /// <summary>How many customers moved from one segment to another.</summary>
    /// <param name="from">The earlier segment, or <see langword="null"/> for new customers.</param>
    /// <param name="to">The later segment, or <see langword="null"/> for customers gone.</param>
    /// <returns>The number of customers.</returns>
    public int Count(Segment? from, Segment? to) => _counts.GetValueOrDefault((from, to));

    /// <summary>How many customers moved this way.</summary>
    /// <param name="direction">The direction.</param>
    /// <returns>The number of customers.</returns>
    public int Count(MigrationDirection direction) => Moves.Count(move => move.Direction == direction);

    private static MigrationDirection Direction(Segment from, Segment to, Dictionary<Segment, int> rank)
    {
        if (from == to)
        {
            return MigrationDirection.Unchanged;
        }

        if (!rank.TryGetValue(from, out var fromRank) || !rank.TryGetValue(to, out var toRank))
        {
            return MigrationDirection.Moved;
        }

        return toRank < fromRank ? MigrationDirection.Upgrade : MigrationDirection.Downgrade;
    }
}
