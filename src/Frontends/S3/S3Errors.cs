using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>The ONE mapping from the Vfs error vocabulary to S3 errors (CONVENTIONS §3).</summary>
internal static class S3Errors
{
    /// <summary>
    /// VfsErrorKind → S3 error. Read paths turn directories into NoSuchKey themselves (in S3 a
    /// "directory" is only a prefix); what reaches this table as IsDirectory/NotDirectory is a
    /// write where a key and a prefix of another key collide, which a file system cannot hold
    /// (409 KeyConflict, our own code: docs/s3.md). InsufficientStorage has no AWS code; 507 InsufficientStorage
    /// is what MinIO answers (documented in docs/s3.md). Transient becomes 503 SlowDown so SDKs retry.
    /// </summary>
    public static S3Error FromKind(VfsErrorKind kind) => kind switch
    {
        VfsErrorKind.NotFound => S3Error.NoSuchKey,
        VfsErrorKind.DirNotFound => S3Error.NoSuchBucket,
        VfsErrorKind.AlreadyExists => S3Error.BucketAlreadyOwnedByYou,
        VfsErrorKind.DirNotEmpty => S3Error.BucketNotEmpty,
        VfsErrorKind.IsDirectory => S3Error.KeyConflict,
        VfsErrorKind.NotDirectory => S3Error.KeyConflict,
        VfsErrorKind.PermissionDenied => S3Error.AccessDenied,
        VfsErrorKind.NotSupported => S3Error.NotImplemented,
        VfsErrorKind.InsufficientStorage => S3Error.InsufficientStorage,
        VfsErrorKind.Transient => S3Error.SlowDown,
        VfsErrorKind.Invalid => S3Error.InvalidArgument,
        VfsErrorKind.PreconditionFailed => S3Error.PreconditionFailed,
        _ => S3Error.InternalError,
    };
}
