using System.Collections.Immutable;

namespace Rfm.Segmentation;

/// <summary>
/// How customers moved between segments from one result to another (last night's and tonight's, or as of two
/// dates): the transition matrix, each customer's move, and the customers whose segment changed.
/// </summary>
/// <remarks>
/// Up and down follow the order of <see cref="ISegmentMap.Segments"/>, which the built-in maps list from the most to
/// the least valuable. Customers are matched by id (ordinal); one present on one side only is new or gone. Either
/// side is a <see cref="RfmResult"/> or, when only each customer's segment was kept, a set of customer id and segment
/// pairs.
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

    /// <summary>The matrix's segments in the map's order, then any other segment either side holds, by key.</summary>
    public ImmutableArray<Segment> Segments { get; }

    /// <summary>Every customer of either side, ordered by customer id (ordinal).</summary>
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

        // A result lists its customers by id (ordinal) already, each once.
        return Merge(Assignments(before), Assignments(after), map);
    }

    /// <summary>
    /// Compares two sets of segment assignments made with the same segment map, such as the segment stored per
    /// customer last night and tonight's; a <see cref="Dictionary{TKey, TValue}"/> of customer id to segment will do.
    /// </summary>
    /// <param name="before">The earlier segment of each customer, in any order.</param>
    /// <param name="after">The later segment of each customer, in any order.</param>
    /// <param name="map">The map both sides used; its segment order says which way is up.</param>
    /// <returns>The migration.</returns>
    /// <remarks>Customer ids are matched ordinally (case-sensitive), whatever comparer a dictionary given uses.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// A side holds a null customer id, a null segment, or the same customer id twice; the message names the id and
    /// the side (<see cref="ArgumentException.ParamName"/>).
    /// </exception>
    public static SegmentMigration Between(
        IEnumerable<KeyValuePair<string, Segment>> before,
        IEnumerable<KeyValuePair<string, Segment>> after,
        ISegmentMap map)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(map);

        return Merge(Sorted(before, nameof(before)), Sorted(after, nameof(after)), map);
    }

    // An earlier side of assignments, checked as the public overload checks it but named by the caller's parameter,
    // against a result.
    internal static SegmentMigration Between(IEnumerable<KeyValuePair<string, Segment>> before, string beforeName, RfmResult after, ISegmentMap map) =>
        Merge(Sorted(before, beforeName), Assignments(after), map);

    private static KeyValuePair<string, Segment>[] Assignments(RfmResult result) =>
        [.. result.Customers.Select(customer => KeyValuePair.Create(customer.CustomerId, customer.Segment))];

    // The side's assignments checked and ordered by customer id (ordinal), as a result lists its customers.
    private static KeyValuePair<string, Segment>[] Sorted(IEnumerable<KeyValuePair<string, Segment>> side, string name)
    {
        var assignments = side.ToArray();
        foreach (var (id, segment) in assignments)
        {
            if (id is null)
            {
                throw new ArgumentException($"A customer id in {name} is null.", name);
            }

            if (segment is null)
            {
                throw new ArgumentException($"Customer '{id}' in {name} has a null segment.", name);
            }
        }

        Array.Sort(assignments, (x, y) => string.CompareOrdinal(x.Key, y.Key));
        for (var i = 1; i < assignments.Length; i++)
        {
            if (string.Equals(assignments[i - 1].Key, assignments[i].Key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Customer '{assignments[i].Key}' appears more than once in {name}.", name);
            }
        }

        return assignments;
    }

    // Both sides list customers by id (ordinal), each once, so one merge pass pairs them.
    private static SegmentMigration Merge(KeyValuePair<string, Segment>[] earlier, KeyValuePair<string, Segment>[] later, ISegmentMap map)
    {
        var ranked = map.Segments.Distinct().ToArray();
        var rank = new Dictionary<Segment, int>();
        foreach (var segment in ranked)
        {
            rank.Add(segment, rank.Count);
        }

        var moves = ImmutableArray.CreateBuilder<SegmentMove>(Math.Max(earlier.Length, later.Length));
        var counts = new Dictionary<(Segment? From, Segment? To), int>();
        int i = 0, j = 0;
        while (i < earlier.Length || j < later.Length)
        {
            var order = i == earlier.Length ? 1 : j == later.Length ? -1 : string.CompareOrdinal(earlier[i].Key, later[j].Key);
            SegmentMove move;
            if (order < 0)
            {
                move = new SegmentMove(earlier[i].Key, earlier[i].Value, null, MigrationDirection.Gone);
                i++;
            }
            else if (order > 0)
            {
                move = new SegmentMove(later[j].Key, null, later[j].Value, MigrationDirection.New);
                j++;
            }
            else
            {
                move = new SegmentMove(earlier[i].Key, earlier[i].Value, later[j].Value, Direction(earlier[i].Value, later[j].Value, rank));
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
