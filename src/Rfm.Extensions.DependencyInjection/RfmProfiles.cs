using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// Every RFM profile of the application by name, built once from its validated options. The default profile is also
/// registered as <see cref="RfmEngine"/> and <see cref="RfmCalculator"/>, and each named one as keyed services.
/// </summary>
public sealed class RfmProfiles
{
    private readonly IOptionsMonitor<RfmOptions> _options;
    private readonly RfmOptionsReader _reader;
    private readonly TimeProvider _time;
    private readonly RfmProfileNames _names;
    private readonly ConcurrentDictionary<string, Lazy<RfmEngine>> _engines = new(StringComparer.Ordinal);

    internal RfmProfiles(RfmProfileNames names, IOptionsMonitor<RfmOptions> options, IEnumerable<IScoringStrategy> strategies, IEnumerable<ISegmentMap> maps, TimeProvider time)
    {
        _names = names;
        _options = options;
        _reader = new RfmOptionsReader(strategies, maps);
        _time = time;
    }

    /// <summary>The default profile (configured by <c>AddRfm()</c> without a name).</summary>
    public RfmEngine Default => Get(Options.DefaultName);

    /// <summary>The profile with this name.</summary>
    /// <param name="name">The name given to <c>AddRfm(name, ...)</c>; empty for the default profile.</param>
    /// <returns>The profile's engine, the same instance on every call.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No profile has this name.</exception>
    /// <exception cref="OptionsValidationException">The profile's options are invalid; the exception lists every problem.</exception>
    public RfmEngine Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_names.Contains(name))
        {
            throw new KeyNotFoundException($"There is no RFM profile named '{name}'; the profiles are: {_names}.");
        }

        return _engines.GetOrAdd(name, key => new Lazy<RfmEngine>(() => Build(key))).Value;
    }

    private RfmEngine Build(string name)
    {
        // Reading the options runs the validator, which throws with every error.
        var options = _options.Get(name);
        var errors = new List<string>();
        var calculator = _reader.Read(options, errors) ?? throw new OptionsValidationException(name, typeof(RfmOptions), errors);
        return new RfmEngine(calculator, _time, options.AsOf, name, RfmOptionsReader.Zone(options.TimeZone, errors));
    }
}

/// <summary>The names <c>AddRfm</c> was called with, so that a misspelt name fails instead of getting defaults.</summary>
internal sealed class RfmProfileNames
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Add(string name)
    {
        lock (_gate)
        {
            _names.Add(name);
        }
    }

    /// <summary>Every name, the default profile's (empty) first, then in ordinal order.</summary>
    public string[] All()
    {
        lock (_gate)
        {
            return [.. _names.Order(StringComparer.Ordinal)];
        }
    }

    public bool Contains(string name)
    {
        lock (_gate)
        {
            return _names.Contains(name);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join(", ", _names.Order(StringComparer.Ordinal).Select(n => n.Length == 0 ? "(default)" : $"'{n}'"));
        }
    }
}
