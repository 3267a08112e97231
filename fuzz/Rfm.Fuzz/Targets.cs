namespace Rfm.Fuzz;

/// <summary>
/// The fuzz targets by name. A target returns when the product reads its input or refuses it with an error it
/// documents as the user's; any other exception, or a disagreement between two readers, is thrown as a fault.
/// </summary>
internal static class Targets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["csv"] = CsvTarget.Run,
        ["segments"] = SegmentMapTarget.Run,
        ["result"] = ResultFileTarget.Run,
        ["detect"] = DetectTarget.Run,
        ["state"] = StateTarget.Run,
    };
}

/// <summary>A fault the target found: two readers disagree, or a reader broke its contract.</summary>
internal sealed class FuzzFaultException(string message) : Exception(message);

/// <summary>The fuzzer's bytes as a file with a given name ending, deleted afterwards.</summary>
internal sealed class TempInput : IDisposable
{
    private static readonly string Folder = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rfm-fuzz-{Environment.ProcessId}")).FullName;

    public TempInput(ReadOnlySpan<byte> bytes, string extension)
    {
        Path = System.IO.Path.Combine(Folder, "input" + extension);
        File.WriteAllBytes(Path, bytes);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
