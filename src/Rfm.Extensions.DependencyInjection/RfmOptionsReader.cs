using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// Turns options into a calculator, collecting every problem instead of stopping at the first. Scoring, bins and the
/// fit of a map to the bins are the core's rules (its parsers and constructors); presets, map names and cancellation
/// rules are looked up here. Each error names the setting it came from.
/// </summary>
internal sealed class RfmOptionsReader(IEnumerable<IScoringStrategy> strategies, IEnumerable<ISegmentMap> maps)
{
    private readonly IScoringStrategy[] _strategies = [.. strategies];
    private readonly ISegmentMap[] _maps = [.. maps];

    /// <summary>The calculator, or <see langword="null"/> with the problems in <paramref name="errors"/>.</summary>
    public RfmCalculator? Read(RfmOptions options, List<string> errors)
    {
        // A section bound twice (AddRfm called twice with it) reports its problems once.
        errors.AddRange(options.ConfigurationErrors.Distinct());
        if (!RfmCalculator.Presets.TryGetValue(options.Preset ?? string.Empty, out var preset))
        {
            errors.Add($"Preset: '{options.Preset}' is not a preset; use {string.Join(" or ", RfmCalculator.Presets.Keys.Order(StringComparer.Ordinal))}.");
            preset = RfmCalculator.Default;
        }

        var recency = Strategy(options.RecencyScoring, nameof(RfmOptions.RecencyScoring), options.Scoring, preset.Scoring.Recency, errors);
        var frequency = Strategy(options.FrequencyScoring, nameof(RfmOptions.FrequencyScoring), options.Scoring, preset.Scoring.Frequency, errors);
        var monetary = Strategy(options.MonetaryScoring, nameof(RfmOptions.MonetaryScoring), options.Scoring, preset.Scoring.Monetary, errors);
        RfmScoring? scoring = null;
        try
        {
            scoring = new RfmScoring(recency, frequency, monetary, options.Bins ?? preset.Scoring.Bins);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // Either the number itself, or fixed thresholds that make another number of scores.
            errors.Add($"{(ex.ParamName == "bins" ? "Bins" : "Bins and Scoring")}: {ErrorMessages.Plain(ex)}");
        }

        var map = Map(options.SegmentMap, preset.SegmentMap, errors);
        var policy = Policy(options, preset.Policy, errors);
        Zone(options.TimeZone, errors);
        RfmCalculator? calculator = null;
        if (scoring is not null)
        {
            try
            {
                calculator = new RfmCalculator(policy, scoring, map);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"SegmentMap: {ErrorMessages.Plain(ex)}");
            }
        }

        return errors.Count == 0 ? calculator : null;
    }

    /// <summary>The zone named by <see cref="RfmOptions.TimeZone"/>: UTC when none is named, or <see langword="null"/> with an error.</summary>
    public static TimeZoneInfo? Zone(string? id, List<string> errors)
    {
        if (id is null)
        {
            return TimeZoneInfo.Utc;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        errors.Add($"TimeZone: '{id}' is not a time zone; use an IANA name such as Europe/Berlin, or UTC.");
        return null;
    }

    // A metric's own setting wins over Scoring, which wins over the preset; an error names the setting it came from.
    private IScoringStrategy Strategy(string? own, string ownSetting, string? shared, IScoringStrategy preset, List<string> errors)
    {
        var (name, setting) = own is not null ? (own, ownSetting) : (shared, nameof(RfmOptions.Scoring));
        if (name is null)
        {
            return preset;
        }

        if (Array.Find(_strategies, s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } registered)
        {
            return registered;
        }

        try
        {
            return ScoringStrategies.Parse(name);
        }
        catch (FormatException ex)
        {
            var registeredNames = _strategies.Length == 0 ? string.Empty : $" Registered: {string.Join(", ", _strategies.Select(s => s.Name))}.";
            var error = $"{setting}: {ex.Message}{registeredNames}";
            if (!errors.Contains(error))
            {
                errors.Add(error);
            }

            return preset;
        }
    }

    private ISegmentMap Map(string? name, ISegmentMap preset, List<string> errors)
    {
        if (name is null)
        {
            return preset;
        }

        if (Array.Find(_maps, m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) is { } registered)
        {
            return registered;
        }

        if (SegmentMaps.BuiltIn.TryGetValue(name, out var builtIn))
        {
            return builtIn;
        }

        var known = SegmentMaps.BuiltIn.Keys.Concat(_maps.Select(m => m.Name)).Distinct(StringComparer.OrdinalIgnoreCase);
        errors.Add($"SegmentMap: '{name}' is not a segment map; use one of {string.Join(", ", known)}.");
        return preset;
    }

    private static TransactionPolicy Policy(RfmOptions options, TransactionPolicy preset, List<string> errors)
    {
        var policy = preset with
        {
            ExcludeNonPositive = options.ExcludeNonPositive ?? preset.ExcludeNonPositive,
            DropNonPositiveCustomers = options.DropNonPositiveCustomers ?? preset.DropNonPositiveCustomers,
        };

        if (options.Cancellations is not { } text)
        {
            return policy;
        }

        var parts = text.Split(':', 2);
        var (kind, argument) = (parts[0].Trim(), parts.Length > 1 ? parts[1] : string.Empty);
        CancellationRule? rule = kind.ToLowerInvariant() switch
        {
            "none" when argument.Length == 0 => CancellationRule.None,
            "starts-with" when argument.Length > 0 => CancellationRule.OrderIdStartsWith(argument),
            "contains" when argument.Length > 0 => CancellationRule.OrderIdContains(argument),
            _ => null,
        };

        if (rule is null)
        {
            errors.Add($"Cancellations: '{text}' is not a rule; use starts-with:TEXT, contains:TEXT or none.");
            return policy;
        }

        return policy with { Cancellations = rule };
    }
}
