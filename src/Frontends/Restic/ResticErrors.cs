using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>The one table from Vfs errors to restic REST statuses (CONVENTIONS §3).</summary>
internal static class ResticErrors
{
    public static int StatusFor(VfsErrorKind kind) => kind switch
    {
        VfsErrorKind.NotFound or VfsErrorKind.DirNotFound => StatusCodes.Status404NotFound,
        VfsErrorKind.AlreadyExists or VfsErrorKind.PermissionDenied => StatusCodes.Status403Forbidden,
        VfsErrorKind.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        VfsErrorKind.Invalid => StatusCodes.Status400BadRequest,
        VfsErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        VfsErrorKind.NotSupported => StatusCodes.Status501NotImplemented,

        // Transient, DirNotEmpty, IsDirectory, NotDirectory: the storage is not what a restic
        // repository should look like, or it failed; the operator needs the log line.
        _ => StatusCodes.Status500InternalServerError,
    };
}
