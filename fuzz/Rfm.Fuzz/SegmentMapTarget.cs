using System.Text;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Fuzz;

/// <summary>A segment map's JSON: a map, or the <see cref="FormatException"/> SegmentMaps.FromJson documents; a map assigns every score.</summary>
internal static class SegmentMapTarget
{
    public static void Run(byte[] data)
    {
        RuleSegmentMap map;
        try
        {
            map = SegmentMaps.FromJson(Encoding.UTF8.GetString(data));
        }
        catch (FormatException)
        {
            return;
        }

        var bins = map.Bins ?? 5;
        for (var r = 1; r <= bins; r++)
        {
            for (var f = 1; f <= bins; f++)
            {
                for (var m = 1; m <= bins; m++)
                {
                    var segment = map.Assign(new RfmScore(r, f, m));
                    if (!map.Segments.Contains(segment))
                    {
                        throw new FuzzFaultException($"score {r}{f}{m} went to '{segment.Key}', which is not among the map's segments");
                    }
                }
            }
        }
    }
}
