using Rfm.Cli.Input;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary>A segment map named on the command line: a built-in name (the tiers map included) or a JSON file.</summary>
internal static class SegmentMapSource
{
    public static ISegmentMap Load(string value, string option)
    {
        if (SegmentMaps.BuiltIn.TryGetValue(value, out var builtIn))
        {
            return builtIn;
        }

        if (string.Equals(value, SegmentMaps.Tiers.Name, StringComparison.OrdinalIgnoreCase))
        {
            return SegmentMaps.Tiers;
        }

        if (!File.Exists(value))
        {
            throw new UsageException(
                $"{option} '{value}': not a built-in map ({string.Join(", ", SegmentMaps.BuiltIn.Keys.Append(SegmentMaps.Tiers.Name).Order())}) nor an existing JSON file.");
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
