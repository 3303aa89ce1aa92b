namespace VfsGateway.Vfs.Cache;

/// <summary>
/// Directory listings kept in memory for --dir-cache-time (rclone's dir cache). The gateway's own
/// writes, deletes and renames edit the cached listings at once; a listing that was being read
/// from the backend while such a change happened is not stored (the epoch moved on), so it can
/// never bring back a stale view. A listing is keyed by name plus '/' for a directory, so that on a
/// bucket-based backend an object "a" and the prefix "a/" (and the directory key "dir/", whose name
/// is "") are separate entries.
/// </summary>
internal sealed class DirCache(TimeSpan ttl, TimeProvider time)
{
    private readonly Dictionary<VfsPath, Listing> _listings = [];
    private readonly Lock _lock = new();
    private long _epoch;
    private int _storesSinceSweep;

    public bool Enabled => ttl > TimeSpan.Zero;

    /// <summary>A snapshot of the cached children of <paramref name="dir"/>, when cached and fresh.</summary>
    public Entry[]? TryGet(VfsPath dir)
    {
        lock (_lock)
        {
            return Fresh(dir) is { } listing ? [.. listing.Entries.Values] : null;
        }
    }

    /// <summary>
    /// True when the parent of <paramref name="path"/> is cached: then <paramref name="entry"/> is
    /// the cached entry or null for "not there".
    /// </summary>
    public bool TryLookup(VfsPath path, out Entry? entry)
    {
        lock (_lock)
        {
            entry = null;
            if (path.IsRoot || Fresh(path.Parent) is not { } listing)
            {
                return false;
            }

            // An object wins over a prefix of the same name, as the backends' stat does.
            entry = listing.Entries.GetValueOrDefault(path.Name) ?? (path.IsDirectoryKey ? null : listing.Entries.GetValueOrDefault(path.Name + "/"));
            return true;
        }
    }

    public long BeginFill()
    {
        lock (_lock)
        {
            return _epoch;
        }
    }

    public void Store(VfsPath dir, List<Entry> entries, long epoch)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_lock)
        {
            if (epoch != _epoch)
            {
                return;
            }

            var map = new Dictionary<string, Entry>(entries.Count, StringComparer.Ordinal);
            foreach (var e in entries)
            {
                map[KeyOf(e)] = e;
            }

            _listings[dir] = new Listing(map, time.GetUtcNow() + ttl);
            if (++_storesSinceSweep >= 256)
            {
                _storesSinceSweep = 0;
                Sweep();
            }
        }
    }

    /// <summary>Records a file or directory the gateway itself created or replaced, and its parent directories.</summary>
    public void Upsert(Entry entry, bool bucketBased)
    {
        lock (_lock)
        {
            _epoch++;
            var child = entry;
            while (!child.Path.IsRoot)
            {
                var parent = child.Path.Parent;
                if (Fresh(parent) is { } listing)
                {
                    if (child.IsDirectory && listing.Entries.ContainsKey(KeyOf(child)))
                    {
                        break;
                    }

                    if (!bucketBased)
                    {
                        // A file system holds one or the other under a name.
                        listing.Entries.Remove(child.IsDirectory ? child.Name : child.Name + "/");
                    }

                    listing.Entries[KeyOf(child)] = child;
                }

                child = Entry.Directory(parent);
            }
        }
    }

    /// <summary>Forgets <paramref name="path"/> (and, for a directory, everything cached below it).</summary>
    public void Remove(VfsPath path, bool bucketBased)
    {
        lock (_lock)
        {
            _epoch++;
            if (!path.IsRoot && Fresh(path.Parent) is { } listing)
            {
                listing.Entries.Remove(path.Name);
                listing.Entries.Remove(path.Name + "/");
            }

            foreach (var dir in _listings.Keys.Where(d => d.IsUnder(path) && !(path.IsRoot && d.IsRoot)).ToList())
            {
                _listings.Remove(dir);
            }

            if (bucketBased)
            {
                // Without real directories, removing the last file makes its parent prefixes vanish.
                for (var p = path.Parent; ; p = p.Parent)
                {
                    _listings.Remove(p);
                    if (p.IsRoot)
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Drops the listing of <paramref name="dir"/> so the next list asks the backend.</summary>
    public void Invalidate(VfsPath dir)
    {
        lock (_lock)
        {
            _epoch++;
            _listings.Remove(dir);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _epoch++;
            _listings.Clear();
        }
    }

    private static string KeyOf(Entry entry) => entry.IsDirectory ? entry.Name + "/" : entry.Name;

    private Listing? Fresh(VfsPath dir)
    {
        if (!_listings.TryGetValue(dir, out var listing))
        {
            return null;
        }

        if (listing.Expires <= time.GetUtcNow())
        {
            _listings.Remove(dir);
            return null;
        }

        return listing;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var dir in _listings.Where(kv => kv.Value.Expires <= now).Select(kv => kv.Key).ToList())
        {
            _listings.Remove(dir);
        }
    }

    private sealed record Listing(Dictionary<string, Entry> Entries, DateTimeOffset Expires);
}
