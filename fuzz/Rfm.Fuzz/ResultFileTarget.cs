using Rfm.Cli;
using Rfm.Cli.Input;
using Rfm.Segmentation;

namespace Rfm.Fuzz;

/// <summary>A result file read back by <c>rfm migrate</c>: each customer's segment, or an error naming what is wrong.</summary>
internal static class ResultFileTarget
{
    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        // The first byte picks the kind (CSV or JSON, by the name, as the tool does); the rest is the file.
        using var file = new TempInput(data.AsSpan(1), data[0] % 2 == 0 ? ".csv" : ".json");
        try
        {
            var segments = ResultFile.ReadSegments(file.Path, SegmentMaps.Classic);
            if (segments.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count() != segments.Length)
            {
                throw new FuzzFaultException("a customer was read twice");
            }
        }
        catch (Exception ex) when (ex is UsageException or InputException)
        {
        }
    }
}
