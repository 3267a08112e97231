using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rfm.Cli.Output;

/// <summary>
/// A file's owner and group, read and given through the C library on Linux (.NET has no call for them). Elsewhere, or
/// where the C library lacks the calls, they are unknown and a new file keeps those of the user who runs the tool.
/// </summary>
internal static class FileOwner
{
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: statx describes the open file itself.
    private const uint UserAndGroup = 0x8 | 0x10; // STATX_UID | STATX_GID
    private const int StatxSize = 256;
    private const int MaskOffset = 0;
    private const int UserOffset = 20;
    private const int GroupOffset = 24;
    private const uint Unchanged = uint.MaxValue; // (uid_t)-1 leaves that part as it is.

    /// <summary>The owner and group of an open file, or null where they cannot be read.</summary>
    public static (uint User, uint Group)? Of(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var buffer = new byte[StatxSize];
            if (NativeMethods.statx(Descriptor(file), [0], EmptyPath, UserAndGroup, buffer) != 0
                || (ReadField(buffer, MaskOffset) & UserAndGroup) != UserAndGroup)
            {
                return null;
            }

            return (ReadField(buffer, UserOffset), ReadField(buffer, GroupOffset));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Gives an open file the owner and group, or the group alone when only the superuser may give the owner, or
    /// leaves them when neither is allowed.
    /// </summary>
    public static void Give(SafeFileHandle file, (uint User, uint Group) owner)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var descriptor = Descriptor(file);
            if (NativeMethods.fchown(descriptor, owner.User, owner.Group) != 0)
            {
                _ = NativeMethods.fchown(descriptor, Unchanged, owner.Group);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to ask: the file keeps the owner of the user who runs the tool.
        }
    }

    private static int Descriptor(SafeFileHandle file) => checked((int)file.DangerousGetHandle());

    // The struct's fields are in the machine's byte order.
    private static uint ReadField(byte[] buffer, int offset) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(offset));

    private static class NativeMethods
    {
        [DllImport("libc.so.6", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int statx(int directory, byte[] path, int flags, uint mask, byte[] result);

        [DllImport("libc.so.6", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fchown(int descriptor, uint user, uint group);
    }
}
