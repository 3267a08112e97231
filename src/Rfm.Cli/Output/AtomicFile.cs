namespace Rfm.Cli.Output;

/// <summary>Writes a file completely or not at all: into a temporary file beside it, then moved into place.</summary>
internal static class AtomicFile
{
    /// <exception cref="UsageException">The path is empty, a folder, one of the inputs, or cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<string?> inputPaths, Action<Stream> write)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException("--out: the file name is empty.");
        }

        if (Directory.Exists(path) || Path.EndsInDirectorySeparator(path))
        {
            throw new UsageException($"--out {path}: is a folder; name a file.");
        }

        try
        {
            WriteChecked(path, inputPaths, write);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"--out {path}: permission denied; it cannot be written there.");
        }
        catch (IOException ex)
        {
            throw new UsageException($"--out {path}: cannot be written: {ex.Message}");
        }
    }

    private static void WriteChecked(string path, IReadOnlyList<string?> inputPaths, Action<Stream> write)
    {
        // Devices and process files (/dev/null, /dev/stdout) are written into as they are, never replaced.
        var full = Path.GetFullPath(path);
        if (full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal))
        {
            using var device = new FileStream(full, FileMode.Open, FileAccess.Write);
            write(device);
            return;
        }

        var target = RealPath(path);
        if (inputPaths.Any(input => input is not null && string.Equals(target, RealPath(input), StringComparison.Ordinal)))
        {
            throw new UsageException($"--out {path}: is the input file; name another file.");
        }

        // A named pipe cannot be replaced by a move either: write into it. (Opening it for writing waits for
        // its reader, as any writer of a pipe does; a regular file is opened without truncating it.)
        if (File.Exists(target))
        {
            using var existing = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            if (!existing.CanSeek)
            {
                write(existing);
                return;
            }
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

    // The path with every symbolic link on the way resolved, so that a linked folder cannot hide the input.
    // (A hard link is another name of the same file: writing replaces that name and leaves the input as it was.)
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            resolved = info.Exists && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next : next;
        }

        return resolved;
    }
}
