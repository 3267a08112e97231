namespace Rfm.Cli.Output;

/// <summary>A file the command line names for a command to read, and how it was named (for the message refusing to write onto it).</summary>
/// <param name="Path">The file's path as given.</param>
/// <param name="NamedBy">The input argument or the option that named it, e.g. <c>the input file</c> or <c>the --segments file</c>.</param>
internal sealed record CommandInput(string Path, string NamedBy);

/// <summary>Writes a file completely or not at all: into a temporary file beside it, then moved into place.</summary>
internal static class AtomicFile
{
    // Permission bits only: set-user-id, set-group-id and sticky bits are not carried onto data files.
    private const UnixFileMode Permissions =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <param name="path">The file to write.</param>
    /// <param name="inputs">The files the command reads, never written onto.</param>
    /// <param name="write">Writes the contents.</param>
    /// <param name="option">The option that named the file, for messages.</param>
    /// <exception cref="UsageException">The path is empty, a folder, one of the inputs, or cannot be written.</exception>
    /// <exception cref="OperationCanceledException">A signal is stopping the process; the write was abandoned.</exception>
    public static void Write(string path, IReadOnlyList<CommandInput> inputs, Action<Stream> write, string option = "--out")
    {
        CheckPath(path, option);
        Explained(path, option, () => WriteChecked(path, inputs, write, option));
    }

    /// <summary>Refuses an empty path or a folder, before anything is read.</summary>
    /// <exception cref="UsageException">The path is empty or names a folder.</exception>
    public static void CheckPath(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException($"{option}: the file name is empty.");
        }

        if (Directory.Exists(path) || Path.EndsInDirectorySeparator(path))
        {
            throw new UsageException($"{option} {path}: is a folder; name a file.");
        }
    }

    /// <summary>Refuses a path that is one of the inputs, before they are read (writing checks again).</summary>
    /// <exception cref="UsageException">The path is one of the inputs.</exception>
    public static void RefuseInputs(string path, IReadOnlyList<CommandInput> inputs, string option = "--out")
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            Explained(path, option, () => RefuseInputs(path, RealPath(path), inputs, option));
        }
    }

    // A failure of the file system as a usage error naming the option.
    private static void Explained(string path, string option, Action action)
    {
        try
        {
            action();
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: permission denied; it cannot be written there.");
        }
        catch (IOException ex)
        {
            throw new UsageException($"{option} {path}: cannot be written: {ex.Message}");
        }
    }

    private static void RefuseInputs(string path, string target, IReadOnlyList<CommandInput> inputs, string option)
    {
        if (inputs.FirstOrDefault(input => string.Equals(target, RealPath(input.Path), StringComparison.Ordinal)) is { } input)
        {
            throw new UsageException($"{option} {path}: is {input.NamedBy}; name another file.");
        }
    }

    private static void WriteChecked(string path, IReadOnlyList<CommandInput> inputs, Action<Stream> write, string option)
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
        RefuseInputs(path, target, inputs, option);

        // A file being replaced passes its permissions (and, where allowed, its owner and group) to the new one.
        UnixFileMode? mode = null;
        (uint User, uint Group)? owner = null;
        if (File.Exists(target))
        {
            // A named pipe cannot be replaced by a move either: write into it. (Opening it for writing waits for
            // its reader, as any writer of a pipe does; a regular file is opened without truncating it.)
            using var existing = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            if (!existing.CanSeek)
            {
                write(existing);
                return;
            }

            if (!OperatingSystem.IsWindows())
            {
                mode = File.GetUnixFileMode(existing.SafeFileHandle) & Permissions;
                owner = FileOwner.Of(existing.SafeFileHandle);
            }
        }

        var directory = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"{option} {path}: the folder {directory} does not exist.");
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = TemporaryFiles.Create(temporary, ownerOnly: mode is not null))
            {
                Protect(stream, mode, owner);
                write(stream);
            }

            TemporaryFiles.MoveIntoPlace(temporary, target);
        }
        finally
        {
            TemporaryFiles.Delete(temporary);
        }
    }

    // The file replacing another starts readable by its owner alone: the owner and group are given first, then the
    // mode, so nobody the replaced file kept out can open it meanwhile. A new file keeps the mode the umask leaves.
    private static void Protect(FileStream stream, UnixFileMode? mode, (uint User, uint Group)? owner)
    {
        if (OperatingSystem.IsWindows() || mode is not { } kept)
        {
            return;
        }

        if (owner is { } given)
        {
            FileOwner.Give(stream.SafeFileHandle, given);

            // A group that could not be given must not inherit the group's access to the replaced file's data.
            if (FileOwner.Of(stream.SafeFileHandle) is not { } now || now.Group != given.Group)
            {
                kept &= ~(UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
            }
        }

        File.SetUnixFileMode(stream.SafeFileHandle, kept);
    }

    // The path with every symbolic link on the way resolved, so that a linked folder cannot hide the input. A link
    // whose target does not exist yet resolves to that target, which is then created, as a shell's > would.
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
            resolved = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next : next;
        }

        return resolved;
    }
}
