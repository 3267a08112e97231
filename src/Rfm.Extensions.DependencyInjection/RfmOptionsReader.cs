using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// Turns a profile's options into a calculator through the core's one path, <see cref="RfmOptions.Calculator"/>, with the
/// strategies and maps registered in the container, and adds what only this package reads: the configuration section's
/// own problems and the time zone. Collects every problem instead of stopping at the first; each names its setting.
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
        // The container's strategies and maps follow the application's own; adding them again adds nothing.
        var calculator = options.Calculator;
        foreach (var strategy in _strategies.Where(s => !calculator.CustomStrategies.Contains(s)))
        {
            calculator.CustomStrategies.Add(strategy);
        }

        foreach (var map in _maps.Where(m => !calculator.CustomSegmentMaps.Contains(m)))
        {
            calculator.CustomSegmentMaps.Add(map);
        }

        errors.AddRange(calculator.Validate().Select(error => error.ToString()));
        Zone(options.TimeZone, errors);
        if (options.AsOf is { } asOf && asOf.Ticks % TimeSpan.TicksPerMicrosecond != 0)
        {
            errors.Add($"AsOf: {asOf:O} has a fraction of a microsecond, finer than dates are read to (and than SQL timestamps hold); give whole microseconds.");
        }

        return errors.Count == 0 ? calculator.Build() : null;
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
}
