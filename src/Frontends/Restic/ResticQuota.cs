using System.Runtime.InteropServices;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// The bytes stored below every repository and every folder above one, counted once at start
/// and tracked afterwards, against which the limits are checked: --max-size (the whole remote)
/// and the --acl file's quota lines (a user's folder, a repository path). Uploads reserve their
/// bytes in every enclosing folder as they stream in, under one lock, so parallel uploads cannot
/// overshoot any limit together; they give them back if they fail; deletes and overwrites give
/// back the old size. The limits are looked up per upload, so a reloaded --acl file applies to
/// the next upload and the usage stays.
/// </summary>
internal sealed class ResticQuota(long? maxSize)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, long> _usage = new(StringComparer.Ordinal);
    private readonly Dictionary<VfsPath, PathState> _inFlight = [];
    private readonly QuotaLimit? _global = maxSize is { } max ? new QuotaLimit(string.Empty, max, "--max-size") : null;

    /// <summary>--max-size, or null when only the --acl file's quotas apply.</summary>
    public long? MaxSize => maxSize;

    /// <summary>Bytes in use in the whole remote.</summary>
    public long Used => UsedBelow(string.Empty);

    /// <summary>Bytes in use below <paramref name="scope"/> (a repository or a folder above one; "" for the root).</summary>
    public long UsedBelow(string scope)
    {
        lock (_lock)
        {
            return _usage.GetValueOrDefault(scope);
        }
    }

    /// <summary>
    /// Sums the sizes of every file below the root (rest-server walks its directory the same way),
    /// charging each to its repository (by restic's layout, else to its folder) and every folder above.
    /// </summary>
    /// <param name="onFile">Also told about each file (the per-repository metrics are seeded from this same walk).</param>
    public async Task InitializeAsync(VirtualFileSystem vfs, CancellationToken cancellationToken, Action<Entry>? onFile = null)
    {
        var usage = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await foreach (var entry in vfs.ListRecursiveAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false))
            {
                if (!entry.IsDirectory)
                {
                    var owner = ResticFrontend.TryRepositoryOf(entry.Path, out var repository, out _) ? repository : entry.Path.Parent.Value;
                    foreach (var scope in Scopes(owner))
                    {
                        CollectionsMarshal.GetValueRefOrAddDefault(usage, scope, out _) += entry.Size;
                    }

                    onFile?.Invoke(entry);
                }
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
        {
            // A root that does not exist yet holds nothing.
        }

        lock (_lock)
        {
            _usage.Clear();
            foreach (var (scope, bytes) in usage)
            {
                _usage[scope] = bytes;
            }
        }
    }

    /// <summary>
    /// Registers an upload of <paramref name="path"/> in <paramref name="repository"/> before the
    /// caller looks for an existing object, so that parallel uploads of one name (restic retries,
    /// several clients saving the same blob) count it once: each commit gives back the size of
    /// the version it replaced, which is the one an upload of the same name committed meanwhile,
    /// else the one that existed when it started.
    /// </summary>
    /// <param name="limits">The --acl quotas that cover the repository (besides --max-size).</param>
    public Upload Begin(VfsPath path, VfsPath repository, IReadOnlyList<QuotaLimit> limits)
    {
        var all = _global is null ? limits.ToArray() : [_global, .. limits];

        // Most specific first: the 507 names the limit closest to the repository.
        Array.Sort(all, static (a, b) => b.Scope.Length.CompareTo(a.Scope.Length));
        lock (_lock)
        {
            if (!_inFlight.TryGetValue(path, out var state))
            {
                state = new PathState();
                _inFlight.Add(path, state);
            }

            state.Uploads++;
            return new Upload(this, path, state, Scopes(repository.Value), all);
        }
    }

    /// <summary>A successful delete of an object of <paramref name="bytes"/> bytes in <paramref name="repository"/>.</summary>
    public void Deleted(VfsPath repository, long bytes) => Add(Scopes(repository.Value), -bytes);

    private void Add(string[] scopes, long bytes)
    {
        lock (_lock)
        {
            AddLocked(scopes, bytes);
        }
    }

    private void AddLocked(string[] scopes, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        foreach (var scope in scopes)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_usage, scope, out _) += bytes;
        }
    }

    /// <summary>The repository path and every folder above it, up to the root ("").</summary>
    private static string[] Scopes(string repository)
    {
        var scopes = new List<string> { string.Empty };
        for (var slash = repository.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = repository.IndexOf('/', slash + 1))
        {
            scopes.Add(repository[..slash]);
        }

        if (repository.Length > 0)
        {
            scopes.Add(repository);
        }

        return [.. scopes];
    }

    internal sealed class PathState
    {
        public int Uploads { get; set; }

        public long? Committed { get; set; }
    }

    /// <summary>One upload's reservation; dispose it on every path out (success or failure): what was reserved and not committed is given back.</summary>
    public sealed class Upload : IDisposable
    {
        private readonly ResticQuota _quota;
        private readonly VfsPath _path;
        private readonly PathState _state;
        private readonly string[] _scopes;
        private readonly QuotaLimit[] _limits;
        private long _reserved;
        private bool _disposed;

        internal Upload(ResticQuota quota, VfsPath path, PathState state, string[] scopes, QuotaLimit[] limits)
        {
            _quota = quota;
            _path = path;
            _state = state;
            _scopes = scopes;
            _limits = limits;
        }

        /// <summary>The first limit that <paramref name="bytes"/> more would exceed (the early check on Content-Length), or null when they fit.</summary>
        public QuotaLimit? Exceeded(long bytes)
        {
            lock (_quota._lock)
            {
                return ExceededLocked(bytes);
            }
        }

        /// <summary>Reserves <paramref name="bytes"/> in every enclosing folder, or returns the limit they would exceed (and reserves nothing).</summary>
        public QuotaLimit? TryReserve(long bytes)
        {
            lock (_quota._lock)
            {
                if (ExceededLocked(bytes) is { } limit)
                {
                    return limit;
                }

                _quota.AddLocked(_scopes, bytes);
                _reserved += bytes;
                return null;
            }
        }

        /// <summary>The upload's reserved bytes are now the object of <paramref name="size"/> bytes; what it replaced is given back.</summary>
        /// <param name="existingSize">The size found before the upload started, when there was an object.</param>
        public void Commit(long? existingSize, long size)
        {
            lock (_quota._lock)
            {
                var replaced = _state.Committed ?? existingSize ?? 0;
                _state.Committed = size;
                _quota.AddLocked(_scopes, -(replaced + (_reserved - size)));
                _reserved = 0;
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lock (_quota._lock)
            {
                _quota.AddLocked(_scopes, -_reserved);
                _reserved = 0;
                if (--_state.Uploads == 0)
                {
                    _quota._inFlight.Remove(_path);
                }
            }
        }

        private QuotaLimit? ExceededLocked(long bytes)
        {
            foreach (var limit in _limits)
            {
                if (bytes > limit.Bytes - _quota._usage.GetValueOrDefault(limit.Scope))
                {
                    return limit;
                }
            }

            return null;
        }
    }
}
