using VfsGateway.Vfs;

namespace VfsGateway.Backends.Memory;

/// <summary>
/// The reference backend: a thread-safe tree of explicit directories and immutable files held in
/// fixed-size chunks. A put reads the whole content into a new file and only then swaps it in
/// under the lock, so a failed put leaves the previous object untouched (no partial uploads); a
/// <see cref="PutCondition"/> is checked under the same lock as the swap (ConditionalPut).
/// The remote's root is a prefix inside the store, created on the first write below it. It is
/// also the reference implementation of backend-staged multipart uploads (MemoryBackend.Multipart.cs).
/// </summary>
internal sealed partial class MemoryBackend : IBackend, IServerSideCopy, IServerSideMove, IRecursiveList
{
    private readonly Lock _lock = new();
    private readonly MemoryDirectory _store = new(DateTimeOffset.UtcNow);

    /// <summary>Multipart uploads in progress by id (MemoryBackend.Multipart.cs), part of the store like the files.</summary>
    private readonly Dictionary<string, MemoryUpload> _uploads = new(StringComparer.Ordinal);
    private long _generation;
    private long _uploadSequence;

    public MemoryBackend(MemoryOptions options)
    {
        Options = options;
        Features = BackendFeatures.Discover(this, canHaveEmptyDirectories: true, partialUploads: false, conditionalPut: true);
    }

    public MemoryOptions Options { get; }

    public BackendFeatures Features { get; }

    /// <summary>
    /// Test hook: consulted at the start of every operation with its name ("list", "stat", "open",
    /// "put", "delete", "mkdir", "rmdir", "copy", "move", "listrecursive", and the multipart calls
    /// "mpbegin", "mpput", "mpget", "mplistparts", "mplistuploads", "mpcomplete", "mpabort") and path; a returned
    /// exception is thrown instead of running the operation.
    /// </summary>
    internal Func<string, VfsPath, Exception?>? FaultInjector { get; set; }

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) =>
        ListSnapshot(dir, cancellationToken).ToAsyncEnumerable();

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        Enter("stat", path, cancellationToken);
        lock (_lock)
        {
            return ValueTask.FromResult(ToEntry(path, Find(path) ?? throw VfsException.NotFound(path)));
        }
    }

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        Enter("open", path, cancellationToken);
        MemoryFile file;
        lock (_lock)
        {
            file = GetFile(path);
        }

        var (offset, count) = range is { } r ? r.Resolve(file.Length) : (0, file.Length);
        return ValueTask.FromResult<Stream>(new MemoryReadStream(file, offset, count));
    }

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        Enter("put", path, cancellationToken);
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        // Fail before reading the content when the target can never be written.
        lock (_lock)
        {
            CheckFileTarget(path);
        }

        var file = await ReadContentAsync(content, options, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            CheckFileTarget(path);
            CheckCondition(path, options.Condition);
            EnsureDirectory(path.Parent, create: true)!.Children[path.Name] = file;
        }

        return ToEntry(path, file);
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        Enter("delete", path, cancellationToken);
        lock (_lock)
        {
            _ = GetFile(path);
            ((MemoryDirectory)Find(path.Parent)!).Children.Remove(path.Name);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        Enter("mkdir", dir, cancellationToken);
        lock (_lock)
        {
            _ = EnsureDirectory(dir, create: true);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        Enter("rmdir", dir, cancellationToken);
        lock (_lock)
        {
            var target = Find(dir) switch
            {
                MemoryDirectory d => d,
                MemoryFile => throw VfsException.NotDirectory(dir),
                _ => throw VfsException.DirNotFound(dir),
            };
            if (target.Children.Count > 0)
            {
                throw VfsException.DirNotEmpty(dir);
            }

            var full = Options.Root.Combine(dir);
            if (!full.IsRoot)
            {
                ((MemoryDirectory)FindFull(full.Parent)!).Children.Remove(full.Name);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _store.Children.Clear();
            _uploads.Clear();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        Enter("copy", from, cancellationToken);
        lock (_lock)
        {
            // Files are immutable, so the copy shares the chunks.
            var file = GetFile(from);
            CheckFileTarget(to);
            EnsureDirectory(to.Parent, create: true)!.Children[to.Name] = file;
            return ValueTask.FromResult(ToEntry(to, file));
        }
    }

    public ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        Enter("move", from, cancellationToken);
        lock (_lock)
        {
            var file = GetFile(from);
            if (from != to)
            {
                CheckFileTarget(to);
                EnsureDirectory(to.Parent, create: true)!.Children[to.Name] = file;
                ((MemoryDirectory)Find(from.Parent)!).Children.Remove(from.Name);
            }

            return ValueTask.FromResult(ToEntry(to, file));
        }
    }

    public IAsyncEnumerable<Entry> ListRecursiveAsync(VfsPath dir, CancellationToken cancellationToken) =>
        ListRecursiveSnapshot(dir, cancellationToken).ToAsyncEnumerable();
}
