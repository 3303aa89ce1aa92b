using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// --max-size: bytes used by the whole remote, counted once at start and tracked afterwards.
/// Uploads reserve their bytes as they stream in (so parallel uploads cannot overshoot
/// together) and give them back if they fail; deletes and overwrites give back the old size.
/// </summary>
internal sealed class ResticQuota(long maxSize)
{
    private readonly Dictionary<VfsPath, PathState> _inFlight = [];
    private long _used;

    public long MaxSize => maxSize;

    public long Used => Interlocked.Read(ref _used);

    /// <summary>Sums the sizes of every file below the root (rest-server walks its directory the same way).</summary>
    /// <param name="onFile">Also told about each file (the per-repository metrics are seeded from this same walk).</param>
    public async Task InitializeAsync(VirtualFileSystem vfs, CancellationToken cancellationToken, Action<Entry>? onFile = null)
    {
        long total = 0;
        try
        {
            await foreach (var entry in vfs.ListRecursiveAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false))
            {
                if (!entry.IsDirectory)
                {
                    total += entry.Size;
                    onFile?.Invoke(entry);
                }
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
        {
            // A root that does not exist yet holds nothing.
        }

        Interlocked.Exchange(ref _used, total);
    }

    /// <summary>Whether <paramref name="length"/> more bytes would still fit (the early check on Content-Length).</summary>
    public bool Fits(long length) => length <= maxSize - Used;

    public bool TryReserve(long bytes)
    {
        var used = Interlocked.Read(ref _used);
        while (true)
        {
            if (bytes > maxSize - used)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _used, used + bytes, used);
            if (seen == used)
            {
                return true;
            }

            used = seen;
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);

    /// <summary>
    /// Registers an upload of <paramref name="path"/> before the caller looks for an existing object,
    /// so that parallel uploads of one name (restic retries, several clients saving the same blob)
    /// count it once: each commit gives back the size of the version it replaced, which is the one
    /// an upload of the same name committed meanwhile, else the one that existed when it started.
    /// </summary>
    public Upload Begin(VfsPath path)
    {
        lock (_inFlight)
        {
            if (!_inFlight.TryGetValue(path, out var state))
            {
                state = new PathState();
                _inFlight.Add(path, state);
            }

            state.Uploads++;
            return new Upload(this, path, state);
        }
    }

    internal sealed class PathState
    {
        public int Uploads { get; set; }

        public long? Committed { get; set; }
    }

    /// <summary>One upload's view of its path; dispose it on every path out (success or failure).</summary>
    public sealed class Upload(ResticQuota quota, VfsPath path, PathState state) : IDisposable
    {
        private bool _disposed;

        /// <summary>The upload's bytes (already reserved) are now the object; what it replaced is given back.</summary>
        /// <param name="existingSize">The size found before the upload started, when there was an object.</param>
        public void Commit(long? existingSize, long size)
        {
            lock (quota._inFlight)
            {
                var replaced = state.Committed ?? existingSize ?? 0;
                state.Committed = size;
                quota.Release(replaced);
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lock (quota._inFlight)
            {
                if (--state.Uploads == 0)
                {
                    quota._inFlight.Remove(path);
                }
            }
        }
    }
}
