using Microsoft.Extensions.Options;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>Validates a profile's options by building its calculator, and reports every problem at once.</summary>
internal sealed class RfmOptionsValidator(IEnumerable<IScoringStrategy> strategies, IEnumerable<ISegmentMap> maps) : IValidateOptions<RfmOptions>
{
    private readonly RfmOptionsReader _reader = new(strategies, maps);

    public ValidateOptionsResult Validate(string? name, RfmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        _reader.Read(options, errors);
        var profile = string.IsNullOrEmpty(name) ? "the default RFM profile" : $"RFM profile '{name}'";
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(error => $"{profile}: {error}"));
    }
}

/// <summary>The one check the host runs at start: every profile's options, every problem of each, in one exception.</summary>
internal sealed class RfmStartCheck;

/// <summary>Validates every profile added with <c>AddRfm</c>, so that the host's start reports them all at once.</summary>
internal sealed class RfmStartValidator(RfmProfileNames names, IOptionsMonitor<RfmOptions> options) : IValidateOptions<RfmStartCheck>
{
    public ValidateOptionsResult Validate(string? name, RfmStartCheck check)
    {
        var failures = new List<string>();
        foreach (var profile in names.All())
        {
            try
            {
                _ = options.Get(profile);
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
