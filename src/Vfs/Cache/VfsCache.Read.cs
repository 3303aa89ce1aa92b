using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs.Cache;

internal sealed partial class VfsCache
{
    /// <summary>
    /// Opens a read served by the cache: a dirty item (read-your-writes, every mode), or in mode
    /// full any file, whose missing ranges are fetched on demand. Returns null when the read should
    /// go straight to the backend. <paramref name="statRemote"/> gives the backend's current entry.
    /// </summary>
    public async ValueTask<Stream?> TryOpenReadAsync(VfsPath path, ByteRange? range, Func<CancellationToken, ValueTask<Entry>> statRemote, CancellationToken cancellationToken)
    {
        if (await AcquireItemAsync(path, create: false, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            try
            {
                if (existing.IsDirty)
                {
                    return OpenLocked(existing, range);
                }
            }
            finally
            {
                existing.Lock.Release();
            }
        }

        if (!FullMode)
        {
            return null;
        }

        var remote = await statRemote(cancellationToken).ConfigureAwait(false);
        if (remote.IsDirectory)
        {
            throw VfsException.IsDirectory(path);
        }

        var item = (await AcquireItemAsync(path, create: true, cancellationToken).ConfigureAwait(false))!;
        try
        {
            if (!item.IsDirty)
            {
                if (item.Record is { } cached && !Matches(cached, remote))
                {
                    CacheLog.Stale(_logger, path.Value);
                    ClearItem(item);
                }

                if (item.Record is null)
                {
                    var generation = NextGeneration();
                    var dataPath = _store.DataPath(item.Key, generation);
                    System.IO.Directory.CreateDirectory(CacheNames.ItemDir(_store.Root, item.Key));
                    using (var handle = File.OpenHandle(dataPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
                    {
                        // Sparse: the holes take no space until fetched data lands in them.
                        RandomAccess.SetLength(handle, remote.Size);
                    }

                    item.Data = new CacheData(generation, dataPath, remote.Size, new RangeMap()) { RangesChanged = true };
                    item.Record = new CacheRecord
                    {
                        Path = path.Value,
                        Size = remote.Size,
                        ModTime = remote.ModTime,
                        ContentType = remote.ContentType,
                        State = CacheRecord.CleanState,
                        Generation = generation,
                        RemoteETag = remote.ETag,
                        RemoteModTime = remote.ModTime,
                        LastAccess = _time.GetUtcNow(),
                    };
                }
            }

            return OpenLocked(item, range);
        }
        finally
        {
            RemoveIfUnused(item);
            item.Lock.Release();
        }
    }

    /// <summary>Makes [offset, offset+count) of <paramref name="data"/> present, fetching what is missing (with read-ahead). True when it fetched.</summary>
    internal async ValueTask<bool> EnsurePresentAsync(CacheItem item, CacheData data, SafeFileHandle handle, long offset, int count, CancellationToken cancellationToken)
    {
        var fetched = false;
        await item.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (data.Ranges.FirstMissing(offset, offset + count) is { } gap)
            {
                if (!ReferenceEquals(item.Data, data))
                {
                    throw new VfsException(VfsErrorKind.Transient, $"'{item.Path}' changed while it was being read", item.Path.Value);
                }

                var end = Math.Min(data.Size, Math.Max(gap.End, gap.Start + _options.ReadChunkSize));
                end = Math.Min(end, data.Ranges.NextPresentStart(gap.Start));
                await FetchAsync(item, data, handle, gap.Start, end, cancellationToken).ConfigureAwait(false);
                fetched = true;
            }

            item.LastAccess = _time.GetUtcNow();
        }
        finally
        {
            item.Lock.Release();
        }

        return fetched;
    }

    /// <summary>Called when a cache read stream closes: persists newly fetched ranges and lets go of the item.</summary>
    /// <remarks>
    /// The range map may only claim bytes that are on disk, so the data is fsynced before the record
    /// is written. The fsync (up to a whole object's write-back) runs outside the item's lock: a
    /// reader opening the item meanwhile (the second GET right after the first) must not wait for
    /// it. The item stays open until the record is written, so eviction leaves the file alone.
    /// </remarks>
    internal async ValueTask ReleaseAsync(CacheItem item, CacheData data, SafeFileHandle handle, bool fetched)
    {
        if (fetched)
        {
            Stats.Miss();
        }
        else
        {
            Stats.Hit();
        }

        List<long[]>? snapshot = null;
        await item.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (data.RangesChanged && ReferenceEquals(item.Data, data) && item.Record is { IsDirty: false } && !_abandoned)
            {
                // Only what is written now is claimed; ranges fetched later mark the data changed again.
                snapshot = data.Ranges.ToRecord();
                data.RangesChanged = false;
            }
            else
            {
                CloseLocked(item);
                return;
            }
        }
        finally
        {
            item.Lock.Release();
        }

        var persisted = false;
        try
        {
            RandomAccess.FlushToDisk(handle);
            await item.Lock.WaitAsync().ConfigureAwait(false);
            try
            {
                // A concurrent release of the same generation may have written a larger snapshot
                // already (ranges only grow within a generation): never replace it by a smaller one.
                if (ReferenceEquals(item.Data, data) && item.Record is { IsDirty: false } record && !_abandoned
                    && (record.Ranges is null || Covered(snapshot) > Covered(record.Ranges)))
                {
                    var updated = record with { Ranges = snapshot, LastAccess = _time.GetUtcNow() };
                    await WithSpaceRetryAsync(() => _store.WriteRecordAsync(item.Key, updated, CancellationToken.None)).ConfigureAwait(false);
                    item.Record = updated;
                }

                persisted = true;
                CloseLocked(item);
            }
            finally
            {
                item.Lock.Release();
            }
        }
        finally
        {
            if (!persisted)
            {
                await item.Lock.WaitAsync().ConfigureAwait(false);
                try
                {
                    data.RangesChanged = true;
                    CloseLocked(item);
                }
                finally
                {
                    item.Lock.Release();
                }
            }
        }
    }

    private void CloseLocked(CacheItem item)
    {
        item.OpenCount--;
        item.LastAccess = _time.GetUtcNow();
        RemoveIfUnused(item);
    }

    private static long Covered(List<long[]>? ranges)
    {
        long covered = 0;
        foreach (var r in ranges ?? [])
        {
            covered += r[1] - r[0];
        }

        return covered;
    }

    private CacheReadStream OpenLocked(CacheItem item, ByteRange? range)
    {
        var data = item.Data!;
        var (start, count) = (range ?? new ByteRange(0)).Resolve(data.Size);
        var access = data.IsComplete ? FileAccess.Read : FileAccess.ReadWrite;
        // A blocking handle: reads of cached data hit the page cache, and on Linux an asynchronous
        // handle hops to the thread pool for every buffer. Sequential read-ahead for cache files
        // that left the page cache. The local backend opens its files the same way.
        var handle = File.OpenHandle(data.FilePath, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        item.OpenCount++;
        item.LastAccess = _time.GetUtcNow();
        return new CacheReadStream(this, item, data, handle, start, count);
    }

    private async ValueTask FetchAsync(CacheItem item, CacheData data, SafeFileHandle handle, long start, long end, CancellationToken cancellationToken)
    {
        var source = await _storage.OpenReadAsync(item.Path, new ByteRange(start, end - start), cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(StreamCopier.DefaultBufferSize);
            try
            {
                var position = start;
                while (position < end)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - position)), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new VfsException(VfsErrorKind.Transient, $"'{item.Path}' is shorter in the backend than when it was opened", item.Path.Value);
                    }

                    await WriteAtAsync(handle, buffer.AsMemory(0, read), position, cancellationToken).ConfigureAwait(false);
                    data.AddRange(position, position + read);
                    Stats.AddCacheSize(read);
                    position += read;
                }

                FileSync.StartWriteback(handle, start, end - start);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>A clean copy is valid while the backend object has the same size, modification time and ETag.</summary>
    private static bool Matches(CacheRecord cached, Entry remote) =>
        cached.Size == remote.Size
        && cached.RemoteModTime == remote.ModTime
        && (cached.RemoteETag is null || remote.ETag is null || cached.RemoteETag == remote.ETag);
}
