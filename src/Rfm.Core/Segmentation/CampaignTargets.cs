using System.Collections.Immutable;

namespace Rfm.Segmentation;

/// <summary>
/// Campaign target lists: the customers of the segments a campaign addresses (<c>at_risk</c> and <c>cant_lose</c> for a
/// win-back, say), each with the segment's suggested action and channel and, given an earlier result, the segment the
/// customer held then.
/// </summary>
/// <remarks>
/// <para>
/// The list is ordered by segment, in the order the keys are given, then by customer id (ordinal). Every customer of a
/// chosen segment is listed, once; no other customer is.
/// </para>
/// <para>
/// With an earlier result, each target's <see cref="CampaignTarget.Change"/> is what <see cref="SegmentMigration"/>
/// says of the customer: <see cref="MigrationDirection.Unchanged"/>, <see cref="MigrationDirection.Upgrade"/> or
/// <see cref="MigrationDirection.Downgrade"/> by the map's order, or <see cref="MigrationDirection.New"/> for a
/// customer absent from the earlier result (no purchase by then, or not in that export): a new customer has changed
/// segment, from none.
/// </para>
/// </remarks>
public static class CampaignTargets
{
    /// <summary>The customers of the chosen segments.</summary>
    /// <param name="current">The result to take the customers from.</param>
    /// <param name="map">The segment map <paramref name="current"/> was made with.</param>
    /// <param name="segmentKeys">The keys of the segments to list, e.g. <c>at_risk</c>, in the order the list takes them.</param>
    /// <returns>The targets, by segment in the order of <paramref name="segmentKeys"/>, then by customer id (ordinal).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="segmentKeys"/> is empty, holds a null, a key twice, or a key that is not one of the map's segments
    /// (the message lists the map's keys); or <paramref name="current"/> holds a segment that is not one of the map's
    /// (made with another map). <see cref="ArgumentException.ParamName"/> names the argument.
    /// </exception>
    public static ImmutableArray<CampaignTarget> Select(RfmResult current, ISegmentMap map, IEnumerable<string> segmentKeys)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(segmentKeys);

        var keys = Keys(segmentKeys, map);
        CheckMap(current, map);
        return Targets(current, map, keys, migration: null, previousName: string.Empty);
    }

    /// <summary>The customers of the chosen segments, each with the segment it held in an earlier result.</summary>
    /// <param name="current">The result to take the customers from.</param>
    /// <param name="map">The segment map <paramref name="current"/> and <paramref name="previous"/> were made with.</param>
    /// <param name="segmentKeys">The keys of the segments to list, e.g. <c>at_risk</c>, in the order the list takes them.</param>
    /// <param name="previous">The earlier result, such as last night's or last month's.</param>
    /// <returns>The targets, by segment in the order of <paramref name="segmentKeys"/>, then by customer id (ordinal).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="segmentKeys"/> is empty, holds a null, a key twice, or a key that is not one of the map's segments
    /// (the message lists the map's keys); or <paramref name="current"/> or <paramref name="previous"/> holds a segment
    /// that is not one of the map's (made with another map; the message names the customer for
    /// <paramref name="previous"/>). <see cref="ArgumentException.ParamName"/> names the argument.
    /// </exception>
    public static ImmutableArray<CampaignTarget> Select(RfmResult current, ISegmentMap map, IEnumerable<string> segmentKeys, RfmResult previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(segmentKeys);
        ArgumentNullException.ThrowIfNull(previous);

        var keys = Keys(segmentKeys, map);
        CheckMap(current, map);
        return Targets(current, map, keys, SegmentMigration.Between(previous, current, map), nameof(previous));
    }

    /// <summary>
    /// The customers of the chosen segments, with the segment each held before as an integrator kept it: a set of
    /// customer id and segment pairs, such as a <see cref="Dictionary{TKey, TValue}"/> of last night's segments.
    /// </summary>
    /// <param name="current">The result to take the customers from.</param>
    /// <param name="map">The segment map <paramref name="current"/> and <paramref name="previous"/> were made with.</param>
    /// <param name="segmentKeys">The keys of the segments to list, e.g. <c>at_risk</c>, in the order the list takes them.</param>
    /// <param name="previous">The earlier segment of each customer, in any order; customer ids are matched ordinally.</param>
    /// <returns>The targets, by segment in the order of <paramref name="segmentKeys"/>, then by customer id (ordinal).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="segmentKeys"/> is empty, holds a null, a key twice, or a key that is not one of the map's segments
    /// (the message lists the map's keys); <paramref name="current"/> holds a segment that is not one of the map's;
    /// <paramref name="previous"/> holds a null customer id, a null segment, a customer id twice or a segment that is not
    /// one of the map's (the message names the customer). <see cref="ArgumentException.ParamName"/> names the argument.
    /// </exception>
    public static ImmutableArray<CampaignTarget> Select(
        RfmResult current,
        ISegmentMap map,
        IEnumerable<string> segmentKeys,
        IEnumerable<KeyValuePair<string, Segment>> previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(segmentKeys);
        ArgumentNullException.ThrowIfNull(previous);

        var keys = Keys(segmentKeys, map);
        CheckMap(current, map);
        return Targets(current, map, keys, SegmentMigration.Between(previous, nameof(previous), current, map), nameof(previous));
    }

    // The keys given, each once and each a segment of the map.
    private static string[] Keys(IEnumerable<string> segmentKeys, ISegmentMap map)
    {
        var keys = segmentKeys.ToArray();
        if (keys.Length == 0)
        {
            throw new ArgumentException("No segment key given: name at least one segment to target.", nameof(segmentKeys));
        }

        var known = map.Segments.Select(segment => segment.Key).Distinct(StringComparer.Ordinal).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key is null)
            {
                throw new ArgumentException("A segment key is null.", nameof(segmentKeys));
            }

            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Segment key '{key}' is not a segment of the map '{map.Name}'; its keys are {string.Join(", ", known)}.", nameof(segmentKeys));
            }

            if (!seen.Add(key))
            {
                throw new ArgumentException($"Segment key '{key}' is given twice.", nameof(segmentKeys));
            }
        }

        return keys;
    }

    // A result made with another map would match none of the keys, or the wrong customers: refused rather than listed.
    private static void CheckMap(RfmResult current, ISegmentMap map)
    {
        var segments = map.Segments.ToHashSet();
        foreach (var summary in current.Segments)
        {
            if (!segments.Contains(summary.Segment))
            {
                throw new ArgumentException(
                    $"The result holds segment '{summary.Segment.Key}', which the segment map '{map.Name}' does not have; give the map the result was made with.",
                    nameof(current));
            }
        }
    }

    private static ImmutableArray<CampaignTarget> Targets(RfmResult current, ISegmentMap map, string[] keys, SegmentMigration? migration, string previousName)
    {
        var byKey = keys.ToDictionary(key => key, _ => new List<CampaignTarget>(), StringComparer.Ordinal);
        var segments = map.Segments.ToHashSet();
        var moves = migration?.Moves ?? [];
        var m = 0;

        // The customers and the moves are both ordered by customer id (ordinal), and every customer of the result has a
        // move, so one pass pairs them.
        foreach (var customer in current.Customers)
        {
            SegmentMove? move = null;
            if (migration is not null)
            {
                for (; moves[m].To is null; m++)
                {
                    CheckEarlier(moves[m], segments, map, previousName);
                }

                CheckEarlier(moves[m], segments, map, previousName);
                move = moves[m++];
            }

            if (byKey.TryGetValue(customer.Segment.Key, out var list))
            {
                list.Add(new CampaignTarget(customer, move?.From, move?.Direction));
            }
        }

        for (; m < moves.Length; m++)
        {
            CheckEarlier(moves[m], segments, map, previousName);
        }

        return [.. keys.SelectMany(key => byKey[key])];
    }

    private static void CheckEarlier(SegmentMove move, HashSet<Segment> segments, ISegmentMap map, string previousName)
    {
        if (move.From is { } from && !segments.Contains(from))
        {
            throw new ArgumentException(
                $"Customer '{move.CustomerId}' in {previousName} has segment '{from.Key}', which the segment map '{map.Name}' does not have; give results made with the same map.",
                previousName);
        }
    }
}
