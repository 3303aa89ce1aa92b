using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Backends.Local;

/// <summary>
/// fsync(2) of a directory, which .NET cannot do (it refuses to open a directory as a file). A
/// rename or a new file is durable only once its directory is synced; rest-server and restic's
/// local backend do the same after every rename. And sync_file_range(2), to start writeback early.
/// </summary>
internal static partial class LocalNative
{
    private const int ReadOnly = 0;
    private const int CloseOnExecLinux = 0x80000;
    private const int InvalidArgument = 22;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Syncs <paramref name="directory"/>; a no-op on Windows. Throws <see cref="IOException"/> with the errno in HResult.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, OperatingSystem.IsLinux() ? ReadOnly | CloseOnExecLinux : ReadOnly);
        if (fd < 0)
        {
            throw ErrnoException("open", directory, Marshal.GetLastPInvokeError());
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();

                // Some file systems (FUSE, CIFS, macOS with ENOTTY) cannot sync a directory; restic's
                // fsyncDir ignores ENOTSUP and EINVAL for the same reason.
                if (errno != InvalidArgument && errno != NotSupported && errno != NotATerminal)
                {
                    throw ErrnoException("fsync", directory, errno);
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Starts writing a range of <paramref name="file"/> back to disk without waiting for it
    /// (Linux; a no-op elsewhere). Only a hint: durability still comes from the fsync that follows,
    /// which also reports any error the writeback hit, so a failure here is ignored.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static int NotSupported => OperatingSystem.IsLinux() ? 95 : 45;

    private static int NotATerminal => OperatingSystem.IsMacOS() ? 25 : -1;

    private static IOException ErrnoException(string call, string path, int errno) =>
        new($"{call} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
