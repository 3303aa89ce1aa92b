using VfsGateway.Backends.Ftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Ftp;

/// <summary>
/// FTP replies and connection failures → <see cref="VfsErrorKind"/>, in one place (RFC 959 §4.2.1
/// and RFC 3659): 4yz replies and dropped connections are transient (the connection is discarded);
/// 452/552 mean no space; 550 means "not found" unless the caller, which knows the command, has
/// looked closer; 530 is a refused login.
/// </summary>
internal static class FtpErrors
{
    /// <summary>Maps a failure of an operation on <paramref name="path"/>; <paramref name="missing"/> is the kind for a plain 550.</summary>
    public static VfsException Map(Exception e, VfsPath path, VfsErrorKind missing = VfsErrorKind.NotFound) => e switch
    {
        FtpReplyException r => MapReply(r, path, missing),
        FtpProtocolException p => new VfsException(VfsErrorKind.Transient, $"ftp connection lost during an operation on '{path}' ({p.Message})", path.Value, e),
        EndOfStreamException => new VfsException(VfsErrorKind.Invalid, $"{e.Message} for '{path}'", path.Value, e),
        VfsException v => v,
        _ => new VfsException(VfsErrorKind.Transient, $"ftp operation on '{path}' failed ({e.Message})", path.Value, e),
    };

    /// <summary>Why connecting or logging in failed; a refused login or certificate fails at startup with a clear message.</summary>
    public static VfsException ConnectFailed(Exception e, string destination, FtpTls? tls) => e switch
    {
        FtpReplyException { Code: 530 or 331 or 332 } r => new VfsException(
            VfsErrorKind.PermissionDenied, $"ftp: login to {destination} failed: the server said {r.Reply} (check user and pass)", null, e),
        FtpReplyException { Command: "AUTH TLS" } r => new VfsException(
            VfsErrorKind.NotSupported, $"ftp: {destination} does not offer explicit TLS (AUTH TLS answered {r.Reply})", null, e),
        FtpReplyException { Command: "PBSZ" or "PROT" } r => new VfsException(
            VfsErrorKind.NotSupported, $"ftp: {destination} refused to protect data connections ({r.Command}: {r.Reply})", null, e),
        FtpReplyException r when r.Reply.IsTransientFailure => new VfsException(
            VfsErrorKind.Transient, $"ftp: {destination} is not available now ({r.Reply})", null, e),
        FtpReplyException r => new VfsException(VfsErrorKind.Invalid, $"ftp: {destination} refused the session ({r.Command}: {r.Reply})", null, e),
        FtpProtocolException when tls?.LastRejection is { } why => new VfsException(
            VfsErrorKind.PermissionDenied, $"ftp: the TLS certificate of {destination} was refused: {why}", null, e),
        FtpProtocolException p => new VfsException(VfsErrorKind.Transient, $"ftp: cannot connect to {destination}: {p.Message}", null, e),
        VfsException v => v,
        _ => new VfsException(VfsErrorKind.Transient, $"ftp: cannot connect to {destination}: {e.Message}", null, e),
    };

    private static VfsException MapReply(FtpReplyException e, VfsPath path, VfsErrorKind missing)
    {
        var (kind, what) = e.Code switch
        {
            452 or 552 => (VfsErrorKind.InsufficientStorage, $"no space left on the ftp server for '{path}'"),
            >= 400 and < 500 => (VfsErrorKind.Transient, $"ftp operation on '{path}' failed for now"),
            550 => (missing, missing == VfsErrorKind.DirNotFound ? $"directory '{path}' not found" : $"'{path}' not found"),
            553 => (VfsErrorKind.PermissionDenied, $"the ftp server does not allow the name '{path}'"),
            530 or 532 => (VfsErrorKind.PermissionDenied, $"permission denied on '{path}'"),
            500 or 502 or 504 => (VfsErrorKind.NotSupported, $"the ftp server does not support {e.Command} (on '{path}')"),
            501 => (VfsErrorKind.Invalid, $"the ftp server rejected {e.Command} for '{path}' as malformed"),
            _ => (VfsErrorKind.PermissionDenied, $"ftp operation on '{path}' refused"),
        };

        return new VfsException(kind, $"{what} ({e.Command}: {e.Reply})", path.Value, e);
    }
}
