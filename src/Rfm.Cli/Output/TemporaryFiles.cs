using System.Runtime.InteropServices;

namespace Rfm.Cli.Output;

/// <summary>
/// The temporary files being written. SIGINT, SIGTERM or SIGHUP deletes them before the signal ends the process as it
/// would have (exit code 128 + the signal's number), so an interrupted write leaves nothing behind.
/// </summary>
internal static class TemporaryFiles
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Live = new(StringComparer.Ordinal);

    // Kept alive for the life of the process: a registration that is collected stops handling its signal.
    private static PosixSignalRegistration[]? registrations;
    private static bool stopping;

    /// <summary>
    /// Creates <paramref name="path"/>, which must not exist, and tracks it until it is moved into place or deleted;
    /// with <paramref name="ownerOnly"/>, readable and writable by its owner alone until the caller widens it.
    /// </summary>
    /// <exception cref="OperationCanceledException">The process is being stopped by a signal.</exception>
    public static FileStream Create(string path, bool ownerOnly)
    {
        // Created under the lock, so a signal either finds the file to delete or stops it being created.
        lock (Gate)
        {
            ThrowIfStopping();
            registrations ??= Register();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(path, options);
            Live.Add(path);
            return stream;
        }
    }

    /// <summary>Moves a finished temporary file onto <paramref name="target"/>, unless a signal has deleted it.</summary>
    /// <exception cref="OperationCanceledException">The process is being stopped by a signal.</exception>
    public static void MoveIntoPlace(string temporary, string target)
    {
        lock (Gate)
        {
            ThrowIfStopping();
            File.Move(temporary, target, overwrite: true);
            Live.Remove(temporary);
        }
    }

    /// <summary>Deletes a temporary file that was not moved into place (nothing happens when it was).</summary>
    public static void Delete(string temporary)
    {
        lock (Gate)
        {
            File.Delete(temporary);
            Live.Remove(temporary);
        }
    }

    // Where a platform has no such signals, there is nothing to handle.
    private static PosixSignalRegistration[] Register()
    {
        try
        {
            return [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, Stop))];
        }
        catch (PlatformNotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Whether a signal is stopping the process: whatever fails now fails because of it.</summary>
    public static bool Stopping
    {
        get
        {
            lock (Gate)
            {
                return stopping;
            }
        }
    }

    private static void ThrowIfStopping()
    {
        if (stopping)
        {
            throw new OperationCanceledException("The process is being stopped by a signal.");
        }
    }

    // Cancel stays false: once the files are gone, the signal ends the process as it would have.
    private static void Stop(PosixSignalContext context)
    {
        lock (Gate)
        {
            stopping = true;
            foreach (var path in Live)
            {
                try
                {
                    File.Delete(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Nothing more can be done on the way out; the other files are still deleted.
                }
            }

            Live.Clear();
        }
    }
}
