using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs;

/// <summary>
/// The two durability calls .NET does not offer, shared by the local backend and the VFS cache:
/// fsync(2) of a directory (.NET refuses to open a directory as a file; a rename or a new file is
/// durable only once its directory is synced — rest-server and restic's local backend do the same
/// after every rename) and sync_file_range(2), to start writeback early.
/// </summary>
public static class FileSync
{
    private const int ReadOnly = 0;
    private const int DirectoryLinux = 0x10000;
    private const int CloseOnExecLinux = 0x80000;
    private const int InvalidArgument = 22;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Syncs <paramref name="directory"/>; a no-op on Windows. Throws <see cref="IOException"/> with the errno in HResult.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, OperatingSystem.IsLinux() ? ReadOnly | DirectoryLinux | CloseOnExecLinux : ReadOnly);
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
    /// Starts writing [offset, offset+count) of <paramref name="file"/> back to disk without waiting
    /// for it (Linux; a no-op elsewhere), so the disk works while more data arrives and the fsync
    /// that follows only waits for the tail. Only a hint: that fsync also reports any error the
    /// writeback hit, so a failure here is ignored.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsLinux() || count <= 0)
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

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFileRange(int fd, long offset, long count, uint flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
