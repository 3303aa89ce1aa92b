using VfsGateway.Backends.Ftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Ftp;

/// <summary>Server-side move: RNFR/RNTO (RFC 959 §4.1.3), which replaces an existing target on Unix servers (rename(2)).</summary>
internal sealed partial class FtpBackend
{
    public async ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        var source = Remote(from);
        var target = Remote(to);
        for (var attempt = 0; ; attempt++)
        {
            var rnfr = await Guard(session.CommandAsync("RNFR " + source, cancellationToken), from).ConfigureAwait(false);
            if (rnfr.Code != 350)
            {
                throw await ClassifyFileErrorAsync(session, new FtpReplyException("RNFR", rnfr), from, cancellationToken).ConfigureAwait(false) switch
                {
                    { Kind: VfsErrorKind.IsDirectory } => FtpErrors.Map(new FtpReplyException("RNFR", rnfr), from, VfsErrorKind.PermissionDenied),
                    var e => e,
                };
            }

            var rnto = await Guard(session.CommandAsync("RNTO " + target, cancellationToken), to).ConfigureAwait(false);
            if (rnto.IsSuccess)
            {
                return await StatOnAsync(session, to, cancellationToken).ConfigureAwait(false) ?? throw VfsException.NotFound(to);
            }

            // Most often a missing parent directory of the target (550, 553, or pure-ftpd's 451).
            if (attempt > 0 || rnto.Code is 421 || to.IsRoot ||
                await KindOfAsync(session, Remote(to.Parent), to.Parent, cancellationToken).ConfigureAwait(false) == FtpEntryKind.Directory)
            {
                throw FtpErrors.Map(new FtpReplyException("RNTO", rnto), to, VfsErrorKind.PermissionDenied);
            }

            await MkdirAllAsync(session, Remote(to.Parent), to.Parent, cancellationToken).ConfigureAwait(false);
        }
    }
}
