using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// fsync of a directory, which .NET cannot open as a FileStream: without it a rename that
/// commits a cache record may be lost by a power failure even though the file itself was fsynced.
/// And an early start of write-back for data the cache will fsync later.
/// </summary>
internal static class NativeSync
{
    private const int ORdOnly = 0;
    private const int ODirectoryLinux = 0x10000;
    private const uint SyncFileRangeWrite = 2;

    public static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var flags = OperatingSystem.IsLinux() ? ORdOnly | ODirectoryLinux : ORdOnly;
        var fd = Open(path, flags);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Starts writing [offset, offset+count) of the file to disk without waiting for it (Linux
    /// sync_file_range with SYNC_FILE_RANGE_WRITE; nothing elsewhere). Mode full fills a cache file
    /// at the backend's pace and fsyncs it when the read ends: without this, the whole object's
    /// write-back happens in that fsync, right when the next reader (the second GET) wants the CPU
    /// and the disk. Only a hint: the fsync that follows reports any real write error.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
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

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFileRange(int fd, long offset, long count, uint flags);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
