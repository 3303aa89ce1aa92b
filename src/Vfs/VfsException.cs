namespace VfsGateway.Vfs;

/// <summary>
/// The only exception a backend or the Vfs throws for an expected condition. Backends translate
/// their protocol's errors into a <see cref="VfsErrorKind"/> at their edge and never return null
/// for "missing".
/// </summary>
public sealed class VfsException : Exception
{
    public VfsException(VfsErrorKind kind, string message, string? path = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Path = path;
    }

    public VfsException()
        : this(VfsErrorKind.Transient, "unknown error")
    {
    }

    public VfsException(string message)
        : this(VfsErrorKind.Transient, message)
    {
    }

    public VfsException(string message, Exception innerException)
        : this(VfsErrorKind.Transient, message, null, innerException)
    {
    }

    public VfsErrorKind Kind { get; }

    /// <summary>The path the error is about, when there is one.</summary>
    public string? Path { get; }

    public bool IsTransient => Kind == VfsErrorKind.Transient;

    public static VfsException NotFound(VfsPath path) => new(VfsErrorKind.NotFound, $"'{path}' not found", path.Value);

    public static VfsException DirNotFound(VfsPath path) => new(VfsErrorKind.DirNotFound, $"directory '{path}' not found", path.Value);

    public static VfsException AlreadyExists(VfsPath path) => new(VfsErrorKind.AlreadyExists, $"'{path}' already exists", path.Value);

    public static VfsException DirNotEmpty(VfsPath path) => new(VfsErrorKind.DirNotEmpty, $"directory '{path}' is not empty", path.Value);

    public static VfsException IsDirectory(VfsPath path) => new(VfsErrorKind.IsDirectory, $"'{path}' is a directory", path.Value);

    public static VfsException NotDirectory(VfsPath path) => new(VfsErrorKind.NotDirectory, $"'{path}' is not a directory", path.Value);

    public static VfsException NotSupported(string what) => new(VfsErrorKind.NotSupported, $"{what} is not supported by this backend");
}
