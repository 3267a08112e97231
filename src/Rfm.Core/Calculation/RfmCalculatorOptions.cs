using System.Collections.Immutable;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm;

/// <summary>
/// The settings of a calculator as configuration and command lines give them: a mutable object to bind, checked by
/// <see cref="Validate"/> (every problem at once) and turned into an immutable <see cref="RfmCalculator"/> by
/// <see cref="Build"/>. Every setting left unset takes the preset's value. The dependency-injection package and the
/// command-line tool both go through it, so a setting means the same everywhere.
/// </summary>
/// <remarks>Not thread-safe while it is being set; the calculator it builds is.</remarks>
/// <example>
/// <code>
/// var calculator = new RfmCalculatorOptions { Bins = 4, Scoring = "rank-quantile", SegmentMap = "tiers" }.Build();
/// </code>
/// </example>
public sealed class RfmCalculatorOptions
{
    /// <summary>The preset the other settings change: <c>default</c> or <c>tutorial</c> (see <see cref="RfmCalculator.Presets"/>).</summary>
    /// <value>Default: <c>default</c>.</value>
    public string Preset { get; set; } = "default";

    /// <summary>The number of scores, 2 to 10.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (5).</value>
    public int? Bins { get; set; }

    /// <summary>
    /// The scoring strategy of all three metrics: <c>quantile</c>, <c>rank-quantile</c>, <c>fixed:a/b/c/d</c> (see
    /// <see cref="ScoringStrategies.Parse(string)"/>), or the <see cref="IScoringStrategy.Name"/> of one of
    /// <see cref="CustomStrategies"/> (which wins over a built-in of the same name).
    /// </summary>
    /// <value>Default: <see langword="null"/>, the preset's.</value>
    public string? Scoring { get; set; }

    /// <summary>The scoring strategy of recency alone, named as in <see cref="Scoring"/>.</summary>
    /// <value>Default: <see langword="null"/>, <see cref="Scoring"/> or the preset's.</value>
    public string? RecencyScoring { get; set; }

    /// <summary>The scoring strategy of frequency alone, named as in <see cref="Scoring"/>.</summary>
    /// <value>Default: <see langword="null"/>, <see cref="Scoring"/> or the preset's.</value>
    public string? FrequencyScoring { get; set; }

    /// <summary>The scoring strategy of monetary value alone, named as in <see cref="Scoring"/>.</summary>
    /// <value>Default: <see langword="null"/>, <see cref="Scoring"/> or the preset's.</value>
    public string? MonetaryScoring { get; set; }

    /// <summary>
    /// The segment map: <c>classic</c>, <c>eleven-segments</c> (<see cref="SegmentMaps.BuiltIn"/>), <c>tiers</c>
    /// (<see cref="SegmentMaps.Tiers"/>), or the <see cref="ISegmentMap.Name"/> of one of <see cref="CustomSegmentMaps"/>
    /// (which wins over a built-in of the same name). Case-insensitive.
    /// </summary>
    /// <value>Default: <see langword="null"/>, the preset's (<c>classic</c>).</value>
    public string? SegmentMap { get; set; }

    /// <summary>
    /// Which order ids are cancellations: <c>starts-with:TEXT</c>, <c>contains:TEXT</c> (ordinal, case-sensitive; the
    /// text is taken as it is, spaces included) or <c>none</c>.
    /// </summary>
    /// <value>Default: <see langword="null"/>, the preset's (<c>starts-with:C</c> for <c>default</c>, <c>contains:C</c> for <c>tutorial</c>).</value>
    public string? Cancellations { get; set; }

    /// <summary>Whether rows with a zero or negative quantity, price or amount are excluded.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (<see langword="true"/> for <c>default</c>, <see langword="false"/> for <c>tutorial</c>).</value>
    public bool? ExcludeNonPositive { get; set; }

    /// <summary>Whether customers whose total is zero or negative are dropped.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (<see langword="false"/>).</value>
    public bool? DropNonPositiveCustomers { get; set; }

    /// <summary>Strategies of the application's own, chosen by their <see cref="IScoringStrategy.Name"/> in the scoring settings.</summary>
    /// <value>Default: empty.</value>
    public IList<IScoringStrategy> CustomStrategies { get; } = [];

    /// <summary>Segment maps of the application's own, chosen by their <see cref="ISegmentMap.Name"/> in <see cref="SegmentMap"/>.</summary>
    /// <value>Default: empty.</value>
    public IList<ISegmentMap> CustomSegmentMaps { get; } = [];

    /// <summary>Checks every setting, with the core's own rules, and reports every problem at once.</summary>
    /// <returns>The problems, each naming its setting and value; empty when <see cref="Build"/> will succeed.</returns>
    public ImmutableArray<OptionsError> Validate()
    {
        var errors = new List<OptionsError>();
        Read(errors);
        return [.. errors];
    }

    /// <summary>The immutable calculator these settings describe.</summary>
    /// <returns>The calculator.</returns>
    /// <exception cref="InvalidOperationException">A setting is wrong; the message lists every problem, one per line (<see cref="Validate"/> gives them one by one).</exception>
    public RfmCalculator Build()
    {
        var errors = new List<OptionsError>();
        var calculator = Read(errors);
        return errors.Count == 0
            ? calculator!
            : throw new InvalidOperationException($"The RFM calculator options are not valid:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    // The calculator, or null with every problem in errors.
    private RfmCalculator? Read(List<OptionsError> errors)
    {
        if (!RfmCalculator.Presets.TryGetValue(Preset ?? string.Empty, out var preset))
        {
            errors.Add(new(nameof(Preset), $"'{Preset}' is not a preset; use {string.Join(" or ", RfmCalculator.Presets.Keys.Order(StringComparer.Ordinal))}."));
            preset = RfmCalculator.Default;
        }

        var strategies = CustomStrategies.ToArray();
        var recency = Strategy(strategies, RecencyScoring, nameof(RecencyScoring), preset.Scoring.Recency, errors);
        var frequency = Strategy(strategies, FrequencyScoring, nameof(FrequencyScoring), preset.Scoring.Frequency, errors);
        var monetary = Strategy(strategies, MonetaryScoring, nameof(MonetaryScoring), preset.Scoring.Monetary, errors);
        RfmScoring? scoring = null;
        try
        {
            scoring = new RfmScoring(recency, frequency, monetary, Bins ?? preset.Scoring.Bins);
        }
        catch (ArgumentException ex)
        {
            // Either the number itself, or a strategy that makes another number of scores (named by the setting it came from).
            var setting = ex.ParamName switch
            {
                "bins" => nameof(Bins),
                "recency" => $"{nameof(Bins)} and {StrategySetting(RecencyScoring, nameof(RecencyScoring))}",
                "frequency" => $"{nameof(Bins)} and {StrategySetting(FrequencyScoring, nameof(FrequencyScoring))}",
                _ => $"{nameof(Bins)} and {StrategySetting(MonetaryScoring, nameof(MonetaryScoring))}",
            };
            errors.Add(new(setting, ErrorMessages.Plain(ex)));
        }

        var map = Map(preset.SegmentMap, errors);
        var policy = Policy(preset.Policy, errors);
        if (scoring is null)
        {
            return null;
        }

        try
        {
            var calculator = new RfmCalculator(policy, scoring, map);
            return errors.Count == 0 ? calculator : null;
        }
        catch (ArgumentException ex)
        {
            errors.Add(new(nameof(SegmentMap), ErrorMessages.Plain(ex)));
            return null;
        }
    }

    // The setting a metric's strategy came from: its own, else Scoring.
    private string StrategySetting(string? own, string ownSetting) => own is not null ? ownSetting : nameof(Scoring);

    // A metric's own setting wins over Scoring, which wins over the preset; an error names the setting it came from.
    private IScoringStrategy Strategy(IScoringStrategy[] custom, string? own, string ownSetting, IScoringStrategy preset, List<OptionsError> errors)
    {
        var name = own ?? Scoring;
        if (name is null)
        {
            return preset;
        }

        if (Array.Find(custom, s => s is not null && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } registered)
        {
            return registered;
        }

        try
        {
            return ScoringStrategies.Parse(name);
        }
        catch (FormatException ex)
        {
            var registeredNames = custom.Length == 0 ? string.Empty : $" Registered: {string.Join(", ", custom.Select(s => s?.Name))}.";
            var error = new OptionsError(StrategySetting(own, ownSetting), ex.Message + registeredNames);
            if (!errors.Contains(error))
            {
                errors.Add(error);
            }

            return preset;
        }
    }

    private ISegmentMap Map(ISegmentMap preset, List<OptionsError> errors)
    {
        if (SegmentMap is not { } name)
        {
            return preset;
        }

        if (CustomSegmentMaps.FirstOrDefault(m => m is not null && string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) is { } registered)
        {
            return registered;
        }

        if (SegmentMaps.Named.TryGetValue(name, out var named))
        {
            return named;
        }

        var known = SegmentMaps.Named.Keys.Concat(CustomSegmentMaps.Where(m => m is not null).Select(m => m.Name)).Distinct(StringComparer.OrdinalIgnoreCase);
        errors.Add(new(nameof(SegmentMap), $"'{name}' is not a segment map; use one of {string.Join(", ", known)}."));
        return preset;
    }

    private TransactionPolicy Policy(TransactionPolicy preset, List<OptionsError> errors)
    {
        var policy = preset with
        {
            ExcludeNonPositive = ExcludeNonPositive ?? preset.ExcludeNonPositive,
            DropNonPositiveCustomers = DropNonPositiveCustomers ?? preset.DropNonPositiveCustomers,
        };

        if (Cancellations is not { } text)
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
            errors.Add(new(nameof(Cancellations), $"'{text}' is not a rule; use starts-with:TEXT, contains:TEXT or none."));
            return policy;
        }

        return policy with { Cancellations = rule };
    }
}
