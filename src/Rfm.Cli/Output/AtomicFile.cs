namespace Rfm.Cli.Output;

/// <summary>Writes a file completely or not at all: into a temporary file beside it, then moved into place.</summary>
internal static class AtomicFile
{
    /// <exception cref="UsageException">The path is empty, a folder, the input itself, or cannot be written.</exception>
    public static void Write(string path, string? inputPath, Action<Stream> write)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException("--out: the file name is empty.");
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path))
        {
            throw new UsageException($"--out {path}: is a folder; name a file.");
        }

        // Write through a link to what it points at, so the link stays a link.
        var target = File.Exists(full) ? File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full : full;
        var input = inputPath is null ? null : File.ResolveLinkTarget(inputPath, returnFinalTarget: true)?.FullName ?? inputPath;
        if (string.Equals(target, input, StringComparison.Ordinal))
        {
            throw new UsageException($"--out {path}: is the input file; name another file.");
        }

        try
        {
            // Devices (/dev/null, /dev/stdout) cannot be replaced by a move: write to them directly.
            if (target.StartsWith("/dev/", StringComparison.Ordinal))
            {
                using var device = new FileStream(target, FileMode.Open, FileAccess.Write);
                write(device);
                return;
            }

            var directory = Path.GetDirectoryName(target) ?? ".";
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"--out {path}: the folder {directory} does not exist.");
            }

            var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    write(stream);
                }

                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"--out {path}: permission denied; it cannot be written there.");
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw new UsageException($"--out {path}: cannot be written: {ex.Message}");
        }
    }
}
