namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// The settings of one RFM profile, as code or an <c>appsettings.json</c> section gives them. Every setting left
/// unset takes the preset's value. The calculator settings are those of the core's <see cref="RfmCalculatorOptions"/>,
/// which validates them and builds the immutable <see cref="RfmCalculator"/>; this type adds the analysis instant and
/// the time zone. Validated when the host starts, every profile's problems at once.
/// </summary>
/// <example>
/// <code language="json">
/// "Rfm": { "Preset": "default", "Bins": 5, "Scoring": "quantile", "SegmentMap": "classic" }
/// </code>
/// </example>
public sealed class RfmOptions
{
    /// <summary>The preset the other settings change: <c>default</c> or <c>tutorial</c> (see <see cref="RfmCalculator.Presets"/>).</summary>
    /// <value>Default: <c>default</c>.</value>
    public string Preset { get; set; } = "default";

    /// <summary>The number of scores, 2 to 10.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (5).</value>
    public int? Bins { get; set; }

    /// <summary>
    /// The scoring strategy of all three metrics: <c>quantile</c>, <c>rank-quantile</c>, <c>fixed:a/b/c/d</c>, or the
    /// <see cref="Scoring.IScoringStrategy.Name"/> of a strategy registered in the container (which wins over a built-in
    /// of the same name).
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
    /// The segment map: <c>classic</c>, <c>eleven-segments</c>, <c>tiers</c> (for any number of scores), or the <see cref="Segmentation.ISegmentMap.Name"/> of a
    /// map registered in the container (which wins over a built-in of the same name).
    /// </summary>
    /// <value>Default: <see langword="null"/>, the preset's (<c>classic</c>).</value>
    public string? SegmentMap { get; set; }

    /// <summary>Which order ids are cancellations: <c>starts-with:TEXT</c>, <c>contains:TEXT</c> or <c>none</c>.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (<c>starts-with:C</c> for <c>default</c>).</value>
    public string? Cancellations { get; set; }

    /// <summary>Whether rows with a zero or negative quantity, price or amount are excluded.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (<see langword="true"/> for <c>default</c>).</value>
    public bool? ExcludeNonPositive { get; set; }

    /// <summary>Whether customers whose total is zero or negative are dropped.</summary>
    /// <value>Default: <see langword="null"/>, the preset's (<see langword="false"/>).</value>
    public bool? DropNonPositiveCustomers { get; set; }

    /// <summary>A fixed analysis instant, for reruns and reports of a past day.</summary>
    /// <value>Default: <see langword="null"/>: the current instant of the container's <see cref="TimeProvider"/>, in <see cref="TimeZone"/>.</value>
    public DateTime? AsOf { get; set; }

    /// <summary>
    /// The time zone of the data's wall-clock times, in which the clock is read when <see cref="AsOf"/> is not set: an
    /// IANA name such as <c>Europe/Berlin</c>, or <c>UTC</c>.
    /// </summary>
    /// <value>Default: <see langword="null"/>, UTC.</value>
    public string? TimeZone { get; set; }

    /// <summary>What reading a configuration section found wrong, reported with the other errors at start.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
