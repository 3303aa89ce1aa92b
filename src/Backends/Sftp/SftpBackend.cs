using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>
/// Files on an SSH server, spoken to in SFTP v3 through the OpenSSH client (`ssh -s HOST sftp`).
/// Transfers keep up to <see cref="SftpOptions.Concurrency"/> requests in flight; connections
/// are pooled. A put writes the named file in place (partial on failure, so
/// <see cref="BackendFeatures.PartialUploads"/> makes the Vfs write to a temporary name and
/// <see cref="MoveAsync"/> it with posix-rename@openssh.com); puts are fsynced when the server
/// offers fsync@openssh.com. Symlinks are followed; dangling ones are not listed.
/// </summary>
internal sealed partial class SftpBackend : IBackend, IServerSideMove, IServerSideCopy, IAbout
{
    private readonly SftpConnectionPool _pool;
    private readonly ILogger _logger;
    private readonly string _root;

    private SftpBackend(SftpOptions options, SftpConnectionPool pool, string root, IReadOnlyDictionary<string, string> extensions, ILogger logger)
    {
        Options = options;
        _pool = pool;
        _root = root;
        _logger = logger;

        // copy-data and statvfs depend on the server, so those capabilities exist only when offered.
        Features = BackendFeatures.Discover(this, canHaveEmptyDirectories: true, partialUploads: true) with
        {
            Copy = extensions.ContainsKey(SftpExtensionNames.CopyData) ? this : null,
            About = extensions.ContainsKey(SftpExtensionNames.StatVfs) ? this : null,
        };
    }

    public SftpOptions Options { get; }

    public BackendFeatures Features { get; }

    /// <summary>The absolute root directory on the server.</summary>
    internal string Root => _root;

    internal SftpConnectionPool Pool => _pool;

    /// <summary>Connects once (so a bad host key or password fails at startup) and resolves the root.</summary>
    public static async ValueTask<SftpBackend> CreateAsync(SftpOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        options.Validate();
        var pool = new SftpConnectionPool(
            options.Connections, ct => SftpConnection.OpenAsync(options, logger, ct), options.Destination, logger);
        try
        {
            using var lease = await pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
            var root = await ResolveRootAsync(lease.Session, options.Path, cancellationToken).ConfigureAwait(false);
            return new SftpBackend(options, pool, root, lease.Session.Extensions, logger);
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        var remote = Remote(dir);
        var handle = await OpenDirectoryAsync(session, dir, remote, cancellationToken).ConfigureAwait(false);
        try
        {
            // One READDIR stays in flight while the previous batch is consumed.
            var next = await session.SendReadDirAsync(handle, cancellationToken).ConfigureAwait(false);
            while (await ReadBatchAsync(session, next, dir).ConfigureAwait(false) is { } names)
            {
                next = await session.SendReadDirAsync(handle, cancellationToken).ConfigureAwait(false);
                foreach (var name in names)
                {
                    if (await ToListEntryAsync(session, dir, remote, name, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        yield return entry;
                    }
                }
            }
        }
        finally
        {
            await CloseQuietlyAsync(session, handle, remote).ConfigureAwait(false);
        }
    }

    public async ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return ToEntry(path, await lease.Session.StatAsync(Remote(path), cancellationToken).ConfigureAwait(false));
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, path);
        }
    }

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = lease.Session;
            var (attributes, handle) = await OpenFileAsync(session, path, Remote(path), SftpOpenFlags.Read, cancellationToken).ConfigureAwait(false);
            var size = attributes.Length;
            var (offset, count) = range is { } r ? r.Resolve(size) : (0, size);
            return new SftpReadStream(
                session, handle, offset, count, ReadChunk(session), Options.Concurrency, e => SftpErrors.Map(e, path), lease);
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
        var handle = await OpenForWriteAsync(session, path, cancellationToken).ConfigureAwait(false);
        return await UploadAsync(session, handle, path, content, options, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var remote = Remote(path);
        try
        {
            await lease.Session.RemoveAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e) when (e.Code == SftpStatusCode.Failure)
        {
            // unlink(2) of a directory is EISDIR, which OpenSSH reports as a bare FAILURE.
            throw await ClassifyAsync(lease.Session, e, path, remote, cancellationToken).ConfigureAwait(false) switch
            {
                { IsDirectory: true } => VfsException.IsDirectory(path),
                _ => SftpErrors.Map(e, path),
            };
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, path);
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
        try
        {
            await session.RmdirAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            // ENOTDIR arrives as NO_SUCH_FILE and ENOTEMPTY as FAILURE: look before naming the error.
            var attributes = await ClassifyAsync(session, e, dir, remote, cancellationToken).ConfigureAwait(false);
            throw attributes switch
            {
                null => VfsException.DirNotFound(dir),
                { IsDirectory: false } => VfsException.NotDirectory(dir),
                _ when await HasChildrenAsync(session, dir, remote, cancellationToken).ConfigureAwait(false) => VfsException.DirNotEmpty(dir),
                _ => SftpErrors.Map(e, dir, VfsErrorKind.DirNotFound),
            };
        }
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
