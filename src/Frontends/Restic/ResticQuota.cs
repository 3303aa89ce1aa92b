using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// --max-size: bytes used by the whole remote, counted once at start and tracked afterwards.
/// Uploads reserve their bytes as they stream in (so parallel uploads cannot overshoot
/// together) and give them back if they fail; deletes and overwrites give back the old size.
/// </summary>
internal sealed class ResticQuota(long maxSize)
{
    private long _used;

    public long MaxSize => maxSize;

    public long Used => Interlocked.Read(ref _used);

    /// <summary>Sums the sizes of every file below the root (rest-server walks its directory the same way).</summary>
    public async Task InitializeAsync(VirtualFileSystem vfs, CancellationToken cancellationToken)
    {
        long total = 0;
        try
        {
            await foreach (var entry in vfs.ListRecursiveAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false))
            {
                if (!entry.IsDirectory)
                {
                    total += entry.Size;
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
}
