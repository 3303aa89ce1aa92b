namespace VfsGateway.Vfs;

/// <summary>The one error vocabulary of the gateway; each frontend maps it to responses in one table.</summary>
public enum VfsErrorKind
{
    /// <summary>The object does not exist.</summary>
    NotFound,

    /// <summary>The directory (or bucket) does not exist.</summary>
    DirNotFound,

    AlreadyExists,
    DirNotEmpty,
    IsDirectory,
    NotDirectory,
    PermissionDenied,
    NotSupported,
    InsufficientStorage,

    /// <summary>A failure that may go away on retry (network, throttling, a dead connection).</summary>
    Transient,

    /// <summary>The request itself is wrong (bad path, bad range, digest mismatch).</summary>
    Invalid,

    /// <summary>A <see cref="PutCondition"/> did not hold (HTTP 412); nothing was written.</summary>
    PreconditionFailed,
}
