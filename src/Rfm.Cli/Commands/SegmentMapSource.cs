using Rfm.Cli.Input;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary>A segment map named on the command line: a built-in name (the tiers map included) or a JSON file.</summary>
internal static class SegmentMapSource
{
    public static ISegmentMap Load(string value, string option)
    {
        if (SegmentMaps.Named.TryGetValue(value, out var named))
        {
            return named;
        }

        if (!File.Exists(value))
        {
            throw new UsageException(
                $"{option} '{value}': not a built-in map ({string.Join(", ", SegmentMaps.Named.Keys.Order(StringComparer.Ordinal))}) nor an existing JSON file.");
        }

        try
        {
            return SegmentMaps.FromJson(BoundedInput.ReadText(value, "segment map"));
        }
        catch (FormatException ex)
        {
            throw new InputException($"{value}: {ex.Message}", ex);
        }
    }
}
