using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>
/// SFTP status codes and ssh failures → <see cref="VfsErrorKind"/>, in one place. v3 has only
/// nine codes and OpenSSH folds most errno values into SSH_FX_FAILURE (its errno_to_portable
/// maps ENOENT/ENOTDIR/EBADF/ELOOP to NO_SUCH_FILE, EPERM/EACCES to PERMISSION_DENIED, and
/// everything else, EEXIST, EISDIR, ENOTEMPTY and ENOSPC included, to FAILURE), so the backend
/// disambiguates FAILURE by a follow-up stat or listing where the contract needs a precise kind.
/// </summary>
internal static class SftpErrors
{
    /// <summary>Maps a status reply about <paramref name="path"/>; <paramref name="missing"/> is the kind for NO_SUCH_FILE.</summary>
    public static VfsException Map(SftpStatusException e, VfsPath path, VfsErrorKind missing = VfsErrorKind.NotFound)
    {
        var (kind, what) = e.Code switch
        {
            SftpStatusCode.NoSuchFile => (missing, missing == VfsErrorKind.DirNotFound ? $"directory '{path}' not found" : $"'{path}' not found"),
            SftpStatusCode.PermissionDenied => (VfsErrorKind.PermissionDenied, $"permission denied on '{path}'"),
            SftpStatusCode.OpUnsupported => (VfsErrorKind.NotSupported, $"the sftp server does not support this operation on '{path}'"),
            SftpStatusCode.BadMessage => (VfsErrorKind.Invalid, $"the sftp server rejected the request for '{path}' as malformed"),
            SftpStatusCode.NoConnection or SftpStatusCode.ConnectionLost => (VfsErrorKind.Transient, $"sftp connection lost during an operation on '{path}'"),

            // FAILURE hides ENOSPC, EIO, EDQUOT and friends: possibly temporary, so retryable.
            _ => (VfsErrorKind.Transient, $"sftp operation on '{path}' failed"),
        };

        var detail = string.IsNullOrEmpty(e.ServerMessage) ? e.Code.ToString() : e.ServerMessage;
        return new VfsException(kind, $"{what} ({detail})", path.Value, e);
    }

    /// <summary>
    /// Why ssh could not open the session, from its exit code and stderr. Authentication and
    /// host-key failures are permanent and name the host, so a bad setup fails at startup.
    /// </summary>
    public static VfsException ConnectFailed(string destination, int? exitCode, string stderr, Exception? cause)
    {
        var detail = string.IsNullOrWhiteSpace(stderr) ? cause?.Message ?? "no output" : stderr.Trim();
        if (Contains(stderr, "Host key verification failed") || Contains(stderr, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
            Contains(stderr, "host key is known") || Contains(stderr, "No matching host key"))
        {
            return new VfsException(
                VfsErrorKind.PermissionDenied,
                $"sftp: host key verification for {destination} failed: the server's key is not in known_hosts or does not match it " +
                $"(add it with ssh-keyscan after checking its fingerprint, or point known_hosts_file at the right file). ssh said: {detail}",
                null,
                cause);
        }

        if (Contains(stderr, "Permission denied") || Contains(stderr, "Too many authentication failures"))
        {
            return new VfsException(
                VfsErrorKind.PermissionDenied,
                $"sftp: authentication to {destination} failed (check user, key_file or password). ssh said: {detail}",
                null,
                cause);
        }

        if (Contains(stderr, "subsystem request failed"))
        {
            return new VfsException(VfsErrorKind.NotSupported, $"sftp: {destination} has no sftp subsystem. ssh said: {detail}", null, cause);
        }

        if (Contains(stderr, "Could not resolve hostname") || Contains(stderr, "Bad port") || Contains(stderr, "Bad configuration option") ||
            Contains(stderr, "no argument after keyword") || Contains(stderr, "command-line line"))
        {
            return new VfsException(VfsErrorKind.Invalid, $"sftp: cannot connect to {destination}: {detail}", null, cause);
        }

        var code = exitCode is { } c ? $" (ssh exit code {c})" : string.Empty;
        return new VfsException(VfsErrorKind.Transient, $"sftp: cannot connect to {destination}{code}: {detail}", null, cause);
    }

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
