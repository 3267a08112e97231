namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// The settings of one RFM profile, as code or an <c>appsettings.json</c> section gives them: the core's
/// <see cref="RfmCalculatorOptions"/> (<see cref="Calculator"/>), which validates them and builds the immutable
/// <see cref="RfmCalculator"/>, and the analysis instant and time zone. Every setting left unset takes the preset's
/// value. Validated when the host starts, every profile's problems at once.
/// </summary>
/// <example>
/// <code language="json">
/// "Rfm": { "Preset": "default", "Bins": 5, "Scoring": "quantile", "SegmentMap": "classic" }
/// </code>
/// </example>
public sealed class RfmOptions
{
    /// <summary>
    /// The calculator's settings: preset, bins, scoring, segment map and which rows count, validated and built by the
    /// core. In configuration they sit directly in the profile's section (<c>"Rfm": { "Bins": 4 }</c>); in code,
    /// <c>options.Calculator.Bins = 4</c>. Strategies and maps registered in the container are added to its
    /// <see cref="RfmCalculatorOptions.CustomStrategies"/> and <see cref="RfmCalculatorOptions.CustomSegmentMaps"/>,
    /// after any the application added there itself, so they are found by name too.
    /// </summary>
    /// <value>Default: every setting unset, the <c>default</c> preset.</value>
    public RfmCalculatorOptions Calculator { get; } = new();

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
