using System.Runtime.CompilerServices;

namespace VfsGateway.Vfs;

public sealed partial class VirtualFileSystem
{
    /// <summary>
    /// Lists the direct children of <paramref name="dir"/>; in-flight temporary files are never
    /// listed, and files written to the cache but not yet uploaded are (with their size).
    /// </summary>
    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) =>
        ListAsync(dir, includeDirectoryKey: false, cancellationToken);

    /// <summary>
    /// <see cref="ListAsync(VfsPath, CancellationToken)"/>; with <paramref name="includeDirectoryKey"/>,
    /// on a bucket-based backend, also the directory's own object "dir/" when one is stored (an entry
    /// whose path is <see cref="VfsPath.AsDirectoryKey"/> of <paramref name="dir"/>, with an empty name).
    /// An object and a directory of the same name can both be listed there ("a" and "a/b").
    /// </summary>
    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, bool includeDirectoryKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RejectDirectoryKey(dir);
        if (IsReserved(dir))
        {
            throw VfsException.DirNotFound(dir);
        }

        Dictionary<string, Entry>? overlay = null;
        if (_cache is not null)
        {
            if (!dir.IsRoot && !Features.BucketBased && _cache.DirtyEntry(dir) is not null)
            {
                throw VfsException.NotDirectory(dir);
            }

            var dirty = _cache.DirtyChildren(dir);
            if (dirty.Count > 0)
            {
                overlay = dirty.ToDictionary(OverlayKey, StringComparer.Ordinal);
            }
        }

        await foreach (var entry in ListBackendCachedAsync(dir, tolerateMissing: overlay is not null, cancellationToken).ConfigureAwait(false))
        {
            if (TempNames.IsTemp(entry.Name) || (dir.IsRoot && IsReserved(entry.Path)))
            {
                continue;
            }

            if (entry.Path.IsDirectoryKey)
            {
                if (includeDirectoryKey && entry.Path.Parent == dir && !dir.IsRoot)
                {
                    yield return entry;
                }

                continue;
            }

            if (overlay is not null && overlay.Remove(OverlayKey(entry), out var pending))
            {
                yield return pending.IsDirectory && entry.IsDirectory ? entry : pending;
            }
            else
            {
                yield return entry;
            }
        }

        foreach (var pending in overlay?.Values ?? Enumerable.Empty<Entry>())
        {
            yield return pending;
        }
    }

    /// <summary>A file and a directory of the same name are different children (on a bucket-based backend both can exist).</summary>
    private static string OverlayKey(Entry entry) => entry.IsDirectory ? entry.Name + "/" : entry.Name;

    /// <summary>Lists everything below <paramref name="dir"/>: natively where the backend can, else by walking directories.</summary>
    public async IAsyncEnumerable<Entry> ListRecursiveAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RejectDirectoryKey(dir);
        if (IsReserved(dir))
        {
            throw VfsException.DirNotFound(dir);
        }

        if (Features.ListRecursive is { } native)
        {
            var overlay = _cache?.DirtyBelow(dir).ToDictionary(e => e.Path);
            var source = TolerateMissingAsync(native.ListRecursiveAsync(dir, cancellationToken), overlay is { Count: > 0 }, cancellationToken);
            await foreach (var entry in source.ConfigureAwait(false))
            {
                if (entry is null)
                {
                    break;
                }

                if (TempNames.IsTemp(entry.Name) || IsReserved(entry.Path) || entry.Path.IsDirectoryKey)
                {
                    continue;
                }

                yield return overlay is not null && overlay.Remove(entry.Path, out var pending) ? pending : entry;
            }

            foreach (var pending in overlay?.Values ?? Enumerable.Empty<Entry>())
            {
                yield return pending;
            }

            yield break;
        }

        var todo = new Stack<VfsPath>();
        todo.Push(dir);
        while (todo.Count > 0)
        {
            var current = todo.Pop();
            await foreach (var entry in ListAsync(current, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
                if (entry.IsDirectory)
                {
                    todo.Push(entry.Path);
                }
            }
        }
    }

    /// <summary>The backend's listing, from the dir cache when fresh; filled into it otherwise.</summary>
    private async IAsyncEnumerable<Entry> ListBackendCachedAsync(VfsPath dir, bool tolerateMissing, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_dirCache.TryGet(dir) is { } cached)
        {
            foreach (var entry in cached)
            {
                yield return entry;
            }

            yield break;
        }

        var epoch = _dirCache.BeginFill();
        var collected = _dirCache.Enabled ? new List<Entry>() : null;
        await foreach (var entry in TolerateMissingAsync(_backend.ListAsync(dir, cancellationToken), tolerateMissing, cancellationToken).ConfigureAwait(false))
        {
            if (entry is null)
            {
                // The directory exists only in the cache so far: nothing to remember about the backend.
                collected = null;
                break;
            }

            collected?.Add(entry);
            yield return entry;
        }

        if (collected is not null)
        {
            _dirCache.Store(dir, collected, epoch);
        }
    }

    /// <summary>
    /// Passes a backend listing through; when <paramref name="tolerate"/> is set, a DirNotFound
    /// (the directory exists only in the cache so far, its files are not uploaded yet) ends the
    /// listing with a null marker instead of failing.
    /// </summary>
    private static async IAsyncEnumerable<Entry?> TolerateMissingAsync(IAsyncEnumerable<Entry> source, bool tolerate, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                var missing = false;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (VfsException e) when (tolerate && e.Kind == VfsErrorKind.DirNotFound)
                {
                    more = false;
                    missing = true;
                }

                if (missing)
                {
                    yield return null;
                }

                if (!more)
                {
                    break;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
