using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Maps file-system exceptions to <see cref="VfsErrorKind"/>. On Unix .NET puts the raw errno in
/// <see cref="Exception.HResult"/> of the <see cref="IOException"/>s it does not map to a subclass
/// (ENOSPC, ENOTEMPTY, EEXIST, ...); on Windows it is an HRESULT. Nothing a local disk reports is
/// worth retrying except the interrupted/busy family; EIO is a failing disk, not a glitch.
/// Unknown errors are left as they are (the frontend answers 500 and logs them).
/// </summary>
internal static class LocalErrors
{
    /// <summary>Translates <paramref name="error"/> when it is a known file-system failure; false leaves it to propagate unchanged.</summary>
    /// <param name="isDirectoryOperation">A missing path means <see cref="VfsErrorKind.DirNotFound"/> rather than <see cref="VfsErrorKind.NotFound"/>.</param>
    public static bool TryMap(Exception error, VfsPath path, bool isDirectoryOperation, out VfsException mapped)
    {
        mapped = error switch
        {
            VfsException e => e,
            FileNotFoundException or DirectoryNotFoundException => isDirectoryOperation ? VfsException.DirNotFound(path) : VfsException.NotFound(path),
            UnauthorizedAccessException => new VfsException(VfsErrorKind.PermissionDenied, $"permission denied on '{path}'", path.Value, error),
            PathTooLongException => new VfsException(VfsErrorKind.Invalid, $"path '{path}' is too long for the local file system", path.Value, error),
            IOException io => FromCode(io, path)!,
            _ => null!,
        };
        return mapped is not null;
    }

    /// <summary>Returns the mapped exception or, for an unknown failure, <paramref name="error"/> itself.</summary>
    public static Exception Map(Exception error, VfsPath path, bool isDirectoryOperation = false) =>
        TryMap(error, path, isDirectoryOperation, out var mapped) ? mapped : error;

    /// <summary>The errno-style kind of an <see cref="IOException"/>, or null when unknown.</summary>
    public static VfsErrorKind? KindOf(IOException error)
    {
        var code = error.HResult;
        if (OperatingSystem.IsWindows())
        {
            return (code & 0xFFFF) switch
            {
                0x27 or 0x70 => VfsErrorKind.InsufficientStorage, // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
                0x91 => VfsErrorKind.DirNotEmpty, // ERROR_DIR_NOT_EMPTY
                0x50 or 0xB7 => VfsErrorKind.AlreadyExists, // ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS
                0x20 or 0x21 => VfsErrorKind.Transient, // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
                _ => null,
            };
        }

        var errno = Errno.Current;
        return code switch
        {
            _ when code == errno.NoSpace || code == errno.QuotaExceeded => VfsErrorKind.InsufficientStorage,
            _ when code == errno.NotEmpty => VfsErrorKind.DirNotEmpty,
            _ when code == errno.NotDirectory => VfsErrorKind.NotDirectory,
            _ when code == errno.IsDirectory => VfsErrorKind.IsDirectory,
            _ when code == errno.Exists => VfsErrorKind.AlreadyExists,
            _ when code == errno.Permission || code == errno.Access || code == errno.ReadOnlyFileSystem => VfsErrorKind.PermissionDenied,
            _ when code == errno.Interrupted || code == errno.Again || code == errno.Busy => VfsErrorKind.Transient,
            _ => null,
        };
    }

    private static VfsException? FromCode(IOException error, VfsPath path) => KindOf(error) switch
    {
        VfsErrorKind.InsufficientStorage => new VfsException(VfsErrorKind.InsufficientStorage, $"no space left for '{path}': {error.Message}", path.Value, error),
        VfsErrorKind.DirNotEmpty => new VfsException(VfsErrorKind.DirNotEmpty, $"directory '{path}' is not empty", path.Value, error),
        VfsErrorKind.NotDirectory => new VfsException(VfsErrorKind.NotDirectory, $"'{path}' or one of its parents is not a directory", path.Value, error),
        VfsErrorKind.IsDirectory => new VfsException(VfsErrorKind.IsDirectory, $"'{path}' is a directory", path.Value, error),
        VfsErrorKind.AlreadyExists => new VfsException(VfsErrorKind.AlreadyExists, $"'{path}' already exists", path.Value, error),
        VfsErrorKind.PermissionDenied => new VfsException(VfsErrorKind.PermissionDenied, $"permission denied on '{path}'", path.Value, error),
        VfsErrorKind.Transient => new VfsException(VfsErrorKind.Transient, $"'{path}': {error.Message}", path.Value, error),
        _ => null,
    };

    /// <summary>The errno values that differ between Unix flavours.</summary>
    private sealed record Errno(int Permission, int Interrupted, int Again, int Access, int Busy, int Exists, int NotDirectory, int IsDirectory, int NoSpace, int ReadOnlyFileSystem, int NotEmpty, int QuotaExceeded)
    {
        public static Errno Current { get; } = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()
            ? new(1, 4, 35, 13, 16, 17, 20, 21, 28, 30, 66, 69)
            : new(1, 4, 11, 13, 16, 17, 20, 21, 28, 30, 39, 122);
    }
}
