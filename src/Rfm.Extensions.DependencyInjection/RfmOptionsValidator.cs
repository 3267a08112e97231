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
