using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Linux extended attributes (setxattr(2) family), which .NET does not wrap. Only Linux: other
/// systems have other signatures (macOS adds a position and options), and the local backend uses
/// sidecar records there. Symlinks are never followed (the l* calls), as the backend never serves them.
/// </summary>
internal static partial class LocalXattr
{
    /// <summary>ENODATA: the file has no such attribute.</summary>
    public const int NoData = 61;

    /// <summary>EOPNOTSUPP: the file system (or its mount options) refuses user attributes.</summary>
    public const int NotSupported = 95;

    /// <summary>ERANGE: the attribute is larger than the buffer given.</summary>
    private const int OutOfRange = 34;

    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>Sets <paramref name="name"/> on an open file; returns 0 or the errno.</summary>
    public static int Set(SafeFileHandle file, string name, ReadOnlySpan<byte> value)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return FSetXattr((int)file.DangerousGetHandle(), name, value, (nuint)value.Length, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>Sets <paramref name="name"/> on the file at <paramref name="path"/>; returns 0 or the errno.</summary>
    public static int Set(string path, string name, ReadOnlySpan<byte> value) =>
        LSetXattr(path, name, value, (nuint)value.Length, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Removes <paramref name="name"/> from an open file; returns 0 or the errno (<see cref="NoData"/> when it was not set).</summary>
    public static int Remove(SafeFileHandle file, string name)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return FRemoveXattr((int)file.DangerousGetHandle(), name) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The value of <paramref name="name"/> on the file at <paramref name="path"/>, or null with
    /// <paramref name="errno"/> set (<see cref="NoData"/> when the file has none).
    /// </summary>
    public static byte[]? Get(string path, string name, out int errno)
    {
        // Records are small (bounded by S3's 2 KB of user metadata plus a few headers); the size
        // query is only needed for a value that outgrew the first guess.
        var buffer = new byte[4096];
        while (true)
        {
            var n = LGetXattr(path, name, buffer, (nuint)buffer.Length);
            if (n >= 0)
            {
                errno = 0;
                return buffer.AsSpan(0, (int)n).ToArray();
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != OutOfRange)
            {
                return null;
            }

            var size = LGetXattr(path, name, [], 0);
            if (size < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }

            buffer = new byte[(int)size + 1];
        }
    }

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int FSetXattr(int fd, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int LSetXattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint LGetXattr(string path, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "fremovexattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int FRemoveXattr(int fd, string name);
}
