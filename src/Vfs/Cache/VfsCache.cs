using Microsoft.Extensions.Logging;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// The write-back and read cache behind <see cref="VirtualFileSystem"/> in cache modes writes and
/// full (rclone's vfscache). A write is acknowledged once its bytes and record are fsynced in the
/// cache directory; a pool of <see cref="VfsOptions.Transfers"/> workers uploads it after
/// <see cref="VfsOptions.WriteBack"/>, retrying forever with exponential backoff, across restarts.
/// </summary>
internal sealed partial class VfsCache : IAsyncDisposable, IEvictionTarget
{
    private readonly IVfsStorage _storage;
    private readonly VfsOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CacheStore _store;
    private readonly Lock _indexLock = new();
    private readonly Dictionary<VfsPath, CacheItem> _items = [];
    private readonly CacheEvictor _evictor;

    // Dirty paths and, per directory, how many dirty files lie at or below each child name: what
    // listings merge in before the backend has the files.
    private readonly Dictionary<VfsPath, Entry> _dirtyEntries = [];
    private readonly Dictionary<VfsPath, ObjectMetadata?> _dirtyMetadata = [];
    private readonly Dictionary<VfsPath, Dictionary<string, int>> _dirtyChildren = [];
    private TaskCompletionSource _idle = CompletedIdle();
    private long _generation;
    private volatile bool _abandoned;

    public VfsCache(IVfsStorage storage, VfsOptions options, ILogger logger, TimeProvider time)
    {
        _storage = storage;
        _options = options;
        _logger = logger;
        _time = time;
        _store = new CacheStore(options.ResolvedCacheDirectory);
        _writeBack = new WriteBackQueue(options.Transfers, time, UploadAsync);
        try
        {
            Recover();
            CacheStore.WarmUp();
        }
        catch
        {
            _store.Dispose();
            throw;
        }

        _writeBack.Start();
        _evictor = new CacheEvictor(this, options, logger, time);
    }

    public VfsCacheStats Stats { get; } = new();

    public bool FullMode => _options.CacheMode == VfsCacheMode.Full;

    public string Directory => _store.Root;

    /// <summary>The eviction policy running over this cache.</summary>
    internal CacheEvictor Evictor => _evictor;

    /// <summary>Completes when no item is dirty (every acknowledged write is in the backend).</summary>
    public Task WaitForUploadsAsync(CancellationToken cancellationToken)
    {
        lock (_indexLock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The listing entry of a dirty path, if it is dirty.</summary>
    public Entry? DirtyEntry(VfsPath path)
    {
        lock (_indexLock)
        {
            return _dirtyEntries.GetValueOrDefault(path);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> is dirty and, if so, the metadata its pending write carries
    /// (null: none; the backend's record describes an older version).
    /// </summary>
    public bool DirtyMetadata(VfsPath path, out ObjectMetadata? metadata)
    {
        lock (_indexLock)
        {
            return _dirtyMetadata.TryGetValue(path, out metadata);
        }
    }

    /// <summary>The dirty direct children of <paramref name="dir"/>: files, and directories that hold dirty files.</summary>
    public List<Entry> DirtyChildren(VfsPath dir)
    {
        lock (_indexLock)
        {
            if (!_dirtyChildren.TryGetValue(dir, out var names))
            {
                return [];
            }

            var result = new List<Entry>(names.Count);
            foreach (var name in names.Keys)
            {
                var path = dir.Join(name);
                var file = _dirtyEntries.GetValueOrDefault(path);
                if (file is not null)
                {
                    result.Add(file);
                }

                // A name can be a file and the folder of other dirty files (bucket-based storage: "a" and "a/b").
                if (file is null || _dirtyChildren.ContainsKey(path))
                {
                    result.Add(Entry.Directory(path));
                }
            }

            return result;
        }
    }

    /// <summary>Every dirty file below <paramref name="dir"/>.</summary>
    public List<Entry> DirtyBelow(VfsPath dir)
    {
        lock (_indexLock)
        {
            return _dirtyEntries.Values.Where(e => e.Path.IsUnder(dir) && e.Path != dir).ToList();
        }
    }

    public bool HasDirtyBelow(VfsPath dir)
    {
        lock (_indexLock)
        {
            return dir.IsRoot ? _dirtyEntries.Count > 0 : _dirtyChildren.ContainsKey(dir);
        }
    }

    /// <summary>
    /// Forgets the cached item at <paramref name="path"/>: cancels and waits for its upload, removes
    /// its files. Returns true when it was dirty (so the backend may not have it at all).
    /// </summary>
    public async ValueTask<bool> DropAsync(VfsPath path, CancellationToken cancellationToken)
    {
        var wasDirty = false;
        while (await AcquireItemAsync(path, create: false, cancellationToken).ConfigureAwait(false) is { } item)
        {
            Task? running;
            try
            {
                running = item.IsUploading ? item.UploadDone : null;
                if (running is null)
                {
                    wasDirty |= item.IsDirty;
                    ClearItem(item);
                    RemoveIfUnused(item);
                    return wasDirty;
                }

                wasDirty |= item.IsDirty;
                await item.UploadCancel!.CancelAsync().ConfigureAwait(false);
            }
            finally
            {
                item.Lock.Release();
            }

            // The upload must be over before the caller deletes in the backend, or it could land after the delete.
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return wasDirty;
    }

    public async ValueTask DisposeAsync() => await StopAsync(_options.ShutdownTimeout).ConfigureAwait(false);

    /// <summary>Finds (or creates) the item of <paramref name="path"/> and returns it locked; null when absent and not created.</summary>
    private async ValueTask<CacheItem?> AcquireItemAsync(VfsPath path, bool create, CancellationToken cancellationToken)
    {
        while (true)
        {
            CacheItem? item;
            lock (_indexLock)
            {
                if (!_items.TryGetValue(path, out item))
                {
                    if (!create)
                    {
                        return null;
                    }

                    item = new CacheItem(path, CacheNames.Key(path.Value)) { LastAccess = _time.GetUtcNow() };
                    _items.Add(path, item);
                }
            }

            await item.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!item.Removed)
            {
                return item;
            }

            item.Lock.Release();
        }
    }

    /// <summary>Drops an item from the index when nothing refers to it any more. Caller holds the item's lock.</summary>
    List<CacheItem> IEvictionTarget.CleanItems()
    {
        lock (_indexLock)
        {
            return _items.Values.Where(i => i.Record is { IsDirty: false }).ToList();
        }
    }

    void IEvictionTarget.Evict(CacheItem item)
    {
        ClearItem(item);
        RemoveIfUnused(item);
        Stats.Evicted();
    }

    private void RemoveIfUnused(CacheItem item)
    {
        if (item.Record is null && item.Data is null && item.OpenCount == 0 && !item.IsUploading)
        {
            item.Removed = true;
            lock (_indexLock)
            {
                _items.Remove(item.Path);
            }
        }
    }

    /// <summary>Deletes an item's files and state (caller holds its lock and has stopped its upload).</summary>
    private void ClearItem(CacheItem item)
    {
        if (item.Data is { } data)
        {
            if (!_abandoned)
            {
                _store.DeleteItem(item.Key, data.Generation);
            }

            Stats.AddCacheSize(-data.Ranges.Covered);
        }

        SetDirty(item, null);
        item.Record = null;
        item.Data = null;
    }

    /// <summary>What a dirty record asks the Vfs to keep once uploaded (records written before metadata existed carry only type and user metadata).</summary>
    internal static ObjectMetadata? MetadataOf(CacheRecord record)
    {
        if (record.Object is { } stored)
        {
            return stored.ToMetadata();
        }

        var legacy = new ObjectMetadata { ContentType = record.ContentType, UserMetadata = record.Metadata ?? [] };
        return legacy.IsEmpty ? null : legacy;
    }

    /// <summary>Updates the dirty index to <paramref name="record"/> (null or clean: not dirty). Caller holds the item's lock.</summary>
    private void SetDirty(CacheItem item, CacheRecord? record)
    {
        var before = item.Record is { IsDirty: true } old ? old.Size : -1;
        var after = record is { IsDirty: true } ? record.Size : -1;
        if (before < 0 && after < 0)
        {
            return;
        }

        lock (_indexLock)
        {
            if (after >= 0)
            {
                _dirtyEntries[item.Path] = Entry.File(item.Path, record!.Size, record.ModTime, null, record.ContentType);
                _dirtyMetadata[item.Path] = MetadataOf(record);
            }

            if (before < 0)
            {
                Stats.AddDirty(1, after);
                if (_dirtyEntries.Count == 1)
                {
                    _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                for (var p = item.Path; !p.IsRoot; p = p.Parent)
                {
                    var names = _dirtyChildren.TryGetValue(p.Parent, out var n) ? n : _dirtyChildren[p.Parent] = new(StringComparer.Ordinal);
                    names[p.Name] = names.GetValueOrDefault(p.Name) + 1;
                }
            }
            else if (after < 0)
            {
                Stats.AddDirty(-1, -before);
                _dirtyEntries.Remove(item.Path);
                _dirtyMetadata.Remove(item.Path);
                for (var p = item.Path; !p.IsRoot; p = p.Parent)
                {
                    var names = _dirtyChildren[p.Parent];
                    if (--names[p.Name] == 0)
                    {
                        names.Remove(p.Name);
                        if (names.Count == 0)
                        {
                            _dirtyChildren.Remove(p.Parent);
                        }
                    }
                }

                if (_dirtyEntries.Count == 0)
                {
                    _idle.TrySetResult();
                    CacheLog.Drained(_logger);
                }
            }
            else
            {
                Stats.AddDirty(0, after - before);
            }
        }
    }

    private void Recover()
    {
        var records = _store.Recover((path, reason) => CacheLog.Lost(_logger, path, reason));
        int dirty = 0, clean = 0;
        long bytes = 0;
        var now = _time.GetUtcNow();
        foreach (var record in records)
        {
            _generation = Math.Max(_generation, record.Generation);
            var path = VfsPath.Parse(record.Path);
            var item = new CacheItem(path, CacheNames.Key(record.Path)) { LastAccess = record.LastAccess };
            if (!record.IsDirty && !FullMode)
            {
                // Clean copies are only useful in mode full.
                _store.DeleteItem(item.Key, record.Generation);
                continue;
            }

            var ranges = record.IsDirty ? RangeMap.Full(record.Size) : RangeMap.FromRecord(record.Ranges, record.Size);
            item.Data = new CacheData(record.Generation, _store.DataPath(item.Key, record.Generation), record.Size, ranges);
            SetDirty(item, record);
            item.Record = record;
            _items[path] = item;
            Stats.AddCacheSize(ranges.Covered);
            if (record.IsDirty)
            {
                dirty++;
                bytes += record.Size;
                Enqueue(item, record.Generation, now + _options.WriteBack);
            }
            else
            {
                clean++;
            }
        }

        CacheLog.Recovered(_logger, _store.Root, dirty, bytes, clean);
    }

    private long NextGeneration() => Interlocked.Increment(ref _generation);

    private static TaskCompletionSource CompletedIdle()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
