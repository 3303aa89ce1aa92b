using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VfsGateway.Backends.Ftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Ftp;

/// <summary>
/// Files on an FTP or FTPS server, through our own client (RFC 959, 2228/4217, 2428, 3659):
/// passive mode only, pooled control connections, MLSD/MLST/SIZE/MDTM/MFMT when FEAT offers them,
/// LIST parsed otherwise. A put writes the named file with STOR (partial when the connection
/// breaks, so <see cref="BackendFeatures.PartialUploads"/> makes the Vfs write to a hidden temp
/// name and <see cref="MoveAsync"/> it with RNFR/RNTO); a failed STOR is deleted at once.
/// </summary>
internal sealed partial class FtpBackend : IBackend, IServerSideMove
{
    private readonly FtpConnectionPool _pool;
    private readonly ILogger _logger;
    private readonly string _root;

    private FtpBackend(FtpOptions options, FtpConnectionPool pool, string root, ILogger logger)
    {
        Options = options;
        _pool = pool;
        _root = root;
        _logger = logger;
        Features = BackendFeatures.Discover(this, canHaveEmptyDirectories: true, partialUploads: true);
    }

    public FtpOptions Options { get; }

    public BackendFeatures Features { get; }

    internal FtpConnectionPool Pool => _pool;

    /// <summary>Connects and logs in once (so a wrong password or certificate fails at startup) and resolves the root.</summary>
    public static async ValueTask<FtpBackend> CreateAsync(FtpOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        options.Validate();
        var tls = options.UsesTls ? new FtpTls(options.Host, options.NoCheckCertificate, options.NormalizedFingerprint) : null;
        var pool = new FtpConnectionPool(options.Concurrency, options.IdleTimeout, ct => ConnectAsync(options, tls, ct), options.Destination, logger);
        try
        {
            using var lease = await pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
            var session = lease.Session;
            if (logger.IsEnabled(LogLevel.Information))
            {
                var tlsMode = options.ImplicitTls ? "implicit" : options.ExplicitTls ? "explicit" : "off";
                var features = string.Join(' ', session.Features.Order(StringComparer.Ordinal));
                FtpLog.Connected(logger, options.Destination, tlsMode, features);
            }

            var root = options.Path.StartsWith('/') ? options.Path
                : options.Path.Length == 0 ? session.HomeDirectory
                : session.HomeDirectory.TrimEnd('/') + "/" + options.Path;
            return new FtpBackend(options, pool, root, logger);
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The listing is read whole and the connection given back before the caller sees an
        // entry: FTP cannot run another command while a transfer is open.
        List<Entry> entries;
        using (var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            entries = await ListOnAsync(lease.Session, dir, cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in entries)
        {
            yield return entry;
        }
    }

    public async ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        return await StatOnAsync(lease.Session, path, cancellationToken).ConfigureAwait(false) ?? throw VfsException.NotFound(path);
    }

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = lease.Session;
            var remote = Remote(path);
            long? size = null;
            if (session.Has("SIZE"))
            {
                var reply = await session.CommandAsync("SIZE " + remote, cancellationToken).ConfigureAwait(false);
                if (reply.Code == 213 && long.TryParse(reply.Message.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                {
                    size = s;
                }
                else
                {
                    throw await ClassifyFileErrorAsync(session, new FtpReplyException("SIZE", reply), path, cancellationToken).ConfigureAwait(false);
                }
            }

            long offset = range?.Offset ?? 0;
            long count = long.MaxValue;
            var toEnd = true;
            if (size is { } known)
            {
                (offset, count) = range is { } r ? r.Resolve(known) : (0, known);
                toEnd = offset + count == known;
                if (count == 0)
                {
                    lease.Dispose();
                    return Stream.Null;
                }
            }
            else if (range is { } r)
            {
                (offset, count) = r.Resolve(long.MaxValue);
                toEnd = r.Length is null;
            }

            try
            {
                return await session.RetrieveAsync(remote, offset, count, toEnd, lease, e => FtpErrors.Map(e, path), cancellationToken).ConfigureAwait(false);
            }
            catch (FtpReplyException e) when (e.Code == 550)
            {
                throw await ClassifyFileErrorAsync(session, e, path, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is FtpReplyException or FtpProtocolException)
        {
            lease.Dispose();
            throw FtpErrors.Map(e, path);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        var remote = Remote(path);
        var sent = await StoreAsync(session, path, remote, content, options.Length, cancellationToken).ConfigureAwait(false);
        var modTime = DateTimeOffset.UtcNow;
        if (options.ModTime is { } wanted && session.Has("MFMT"))
        {
            // RFC draft-somers-ftp-mfxx: a refusal only loses the time, not the file.
            var reply = await Guard(session.CommandAsync($"MFMT {wanted.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)} {remote}", cancellationToken), path).ConfigureAwait(false);
            if (reply.IsSuccess)
            {
                modTime = wanted;
            }
        }

        return Entry.File(path, sent, modTime);
    }

    public async ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        var reply = await Guard(session.CommandAsync("DELE " + Remote(path), cancellationToken), path).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw await ClassifyFileErrorAsync(session, new FtpReplyException("DELE", reply), path, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        await MkdirAllAsync(lease.Session, Remote(dir), dir, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        var remote = Remote(dir);
        var reply = await Guard(session.CommandAsync("RMD " + remote, cancellationToken), dir).ConfigureAwait(false);
        if (reply.IsSuccess)
        {
            return;
        }

        var error = new FtpReplyException("RMD", reply);
        if (reply.Code != 550)
        {
            throw FtpErrors.Map(error, dir, VfsErrorKind.DirNotFound);
        }

        // 550 covers "no such directory", "not a directory" and "not empty": look before naming it.
        throw await KindOfAsync(session, remote, dir, cancellationToken).ConfigureAwait(false) switch
        {
            null => VfsException.DirNotFound(dir),
            FtpEntryKind.File => VfsException.NotDirectory(dir),
            _ when (await ListOnAsync(session, dir, cancellationToken).ConfigureAwait(false)).Count > 0 => VfsException.DirNotEmpty(dir),
            _ => FtpErrors.Map(error, dir, VfsErrorKind.PermissionDenied),
        };
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private static async Task<FtpSession> ConnectAsync(FtpOptions options, FtpTls? tls, CancellationToken cancellationToken)
    {
        try
        {
            return await FtpSession.ConnectAsync(options, tls, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FtpReplyException or FtpProtocolException)
        {
            throw FtpErrors.ConnectFailed(e, options.Destination, tls);
        }
    }
}
