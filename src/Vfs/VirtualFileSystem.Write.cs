using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs;

public sealed partial class VirtualFileSystem
{
    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="path"/>. If the content stream throws
    /// (a digest mismatch, a quota overrun, a client that went away), nothing is left behind and the
    /// previous object, if any, is untouched. Success means: in mode off, the object is durable in
    /// the backend; in modes writes and full, it is durable in the cache directory and will be
    /// uploaded (after <see cref="VfsOptions.WriteBack"/>, retried until it succeeds, across restarts).
    /// </summary>
    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        CheckWritable(path);

        // A directory key is written straight through even with the write cache on: its name is
        // the directory's, which the cache's own bookkeeping (dirty children, read-your-writes
        // listings) keeps for the folder; it is rare and small (a client's folder object).
        if (_cache is null || path.IsDirectoryKey)
        {
            var stored = await PutToBackendAsync(path, content, options, cancellationToken).ConfigureAwait(false);
            _dirCache.Upsert(stored, Features.BucketBased);
            if (HasNativeMetadata)
            {
                // The backend stored the metadata atomically with the object (IMetadataStorage).
                return stored;
            }

            ObjectMetadata? metadata;
            try
            {
                metadata = await ResolveMetadataAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The writer's last checks failed after the bytes landed: the write did not happen.
                await DeleteQuietlyAsync(path).ConfigureAwait(false);
                _dirCache.Remove(path, Features.BucketBased);
                throw;
            }

            if (metadata is not null)
            {
                await SetMetadataAsync(stored, metadata, cancellationToken).ConfigureAwait(false);
            }

            return stored;
        }

        // An upload that can never succeed must be refused now, while the client can still be told.
        // On a bucket-based backend "a" and "a/b" are independent keys and both succeed.
        if (Features.BucketBased)
        {
            return await _cache.WriteAsync(path, content, options, cancellationToken).ConfigureAwait(false);
        }

        if (_cache.HasDirtyBelow(path) || (_dirCache.TryLookup(path, out var existing) && existing is { IsDirectory: true }))
        {
            throw VfsException.IsDirectory(path);
        }

        for (var parent = path.Parent; !parent.IsRoot; parent = parent.Parent)
        {
            if (_cache.DirtyEntry(parent) is not null || (_dirCache.TryLookup(parent, out var p) && p is { IsDirectory: false }))
            {
                throw VfsException.NotDirectory(parent);
            }
        }

        return await _cache.WriteAsync(path, content, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a file; a write still waiting in the cache is cancelled (never uploaded).</summary>
    public async ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        CheckDirectoryKey(path);
        RejectReserved(path);
        var wasDirty = _cache is not null && await _cache.DropAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            await RetryAsync(async ct => { await _backend.DeleteAsync(path, ct).ConfigureAwait(false); return true; }, "delete", path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (wasDirty && e.Kind == VfsErrorKind.NotFound)
        {
            // It existed only in the cache.
        }
        finally
        {
            _dirCache.Remove(path, Features.BucketBased);
        }

        await DeleteMetadataAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        RejectDirectoryKey(dir);
        RejectReserved(dir);
        RejectLongNames(dir);
        await RetryAsync(async ct => { await _backend.MkdirAsync(dir, ct).ConfigureAwait(false); return true; }, "mkdir", dir, cancellationToken).ConfigureAwait(false);
        if (!dir.IsRoot)
        {
            _dirCache.Upsert(Entry.Directory(dir), Features.BucketBased);
        }
    }

    public async ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        RejectDirectoryKey(dir);
        RejectReserved(dir);
        if (_cache is not null && _cache.HasDirtyBelow(dir))
        {
            throw VfsException.DirNotEmpty(dir);
        }

        try
        {
            try
            {
                await RetryAsync(async ct => { await _backend.RmdirAsync(dir, ct).ConfigureAwait(false); return true; }, "rmdir", dir, cancellationToken).ConfigureAwait(false);
            }
            catch (VfsException e) when (e.Kind == VfsErrorKind.DirNotEmpty && Features.PartialUploads)
            {
                if (!await RemoveTempFilesAsync(dir, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }

                await RetryAsync(async ct => { await _backend.RmdirAsync(dir, ct).ConfigureAwait(false); return true; }, "rmdir", dir, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _dirCache.Remove(dir, Features.BucketBased);
        }
    }

    /// <summary>Copies a file and its metadata: server-side where the backend can, else by streaming it through.</summary>
    public async ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        CheckDirectoryKey(from);
        CheckDirectoryKey(to);
        RejectReserved(from);
        RejectReserved(to);
        RejectLongNames(to);
        var source = await StatAsync(from, cancellationToken).ConfigureAwait(false);
        if (source.IsDirectory)
        {
            throw VfsException.IsDirectory(from);
        }

        var metadata = await GetMetadataAsync(source, cancellationToken).ConfigureAwait(false);
        var sourceDirty = _cache?.DirtyEntry(from) is not null;
        if (Features.Copy is { } copy && !sourceDirty)
        {
            if (_cache is not null)
            {
                // A pending write to the target would otherwise be uploaded over the copy later.
                await _cache.DropAsync(to, cancellationToken).ConfigureAwait(false);
            }

            var copied = await copy.CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
            _dirCache.Upsert(copied, Features.BucketBased);
            if (metadata is not null && _sidecar is not null)
            {
                await SetMetadataAsync(copied, metadata, cancellationToken).ConfigureAwait(false);
            }
            else if (from != to)
            {
                // A record of what the target was before must not survive into the copy, even by
                // a chance match of size and modification time.
                await DeleteMetadataAsync(to, cancellationToken).ConfigureAwait(false);
            }

            return copied;
        }

        var stream = await OpenReadAsync(from, null, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var options = new PutOptions(source.Size, source.ModTime, source.ContentType)
            {
                ObjectMetadataProvider = _ => ValueTask.FromResult(metadata),
            };
            return await PutAsync(to, stream, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves a file: server-side where the backend can, else copy then delete.</summary>
    public async ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        CheckDirectoryKey(from);
        CheckDirectoryKey(to);
        RejectReserved(from);
        RejectReserved(to);
        RejectLongNames(to);
        var sourceDirty = _cache?.DirtyEntry(from) is not null;
        if (Features.Move is { } move && !sourceDirty)
        {
            ObjectMetadata? metadata = null;
            if (_sidecar is not null && await TryStatAsync(from, cancellationToken).ConfigureAwait(false) is { IsDirectory: false } source)
            {
                metadata = await GetMetadataAsync(source, cancellationToken).ConfigureAwait(false);
            }

            if (_cache is not null)
            {
                await _cache.DropAsync(to, cancellationToken).ConfigureAwait(false);
                await _cache.DropAsync(from, cancellationToken).ConfigureAwait(false);
            }

            var moved = await move.MoveAsync(from, to, cancellationToken).ConfigureAwait(false);
            _dirCache.Remove(from, Features.BucketBased);
            _dirCache.Upsert(moved, Features.BucketBased);
            if (_sidecar is not null && from != to && !moved.IsDirectory)
            {
                if (metadata is not null)
                {
                    await SetMetadataAsync(moved, metadata, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await DeleteMetadataAsync(to, cancellationToken).ConfigureAwait(false);
                }

                await DeleteMetadataAsync(from, cancellationToken).ConfigureAwait(false);
            }

            return moved;
        }

        var entry = await CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(from, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Throws when <paramref name="path"/> can never be written through the Vfs (root, reserved and temp names).</summary>
    internal void CheckWritable(VfsPath path)
    {
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        CheckDirectoryKey(path);

        if (TempNames.IsTemp(path.Name))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"'{path.Name}' is reserved for in-flight uploads", path.Value);
        }

        RejectReserved(path);
        RejectLongNames(path);
    }

    /// <summary>Refuses a name the backend cannot hold (<see cref="BackendFeatures.MaxNameBytes"/>) before anything is created for it.</summary>
    private void RejectLongNames(VfsPath path)
    {
        if (Features.MaxNameBytes is not { } max)
        {
            return;
        }

        foreach (var segment in path.Segments)
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(segment);
            if (bytes > max)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"a name in '{path}' is {bytes} bytes long; this storage holds names (each part between slashes) of at most {max} bytes", path.Value);
            }
        }
    }

    /// <summary>A directory operation on a directory key ("dir/"): that is an object, the directory is "dir".</summary>
    private static void RejectDirectoryKey(VfsPath dir)
    {
        if (dir.IsDirectoryKey)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"'{dir}' is a directory key (an object), not a directory", dir.Value);
        }
    }

    /// <summary>Records an object written behind the Vfs's back (a completed backend multipart upload) in the directory cache.</summary>
    internal void NoteWritten(Entry entry) => _dirCache.Upsert(entry, Features.BucketBased);

    /// <summary>The mode-off write path, also used by background uploads: temp name + rename where a failed put can leave a partial object.</summary>
    internal async ValueTask<Entry> PutToBackendAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        if (!Features.PartialUploads || Features.Move is not { } move)
        {
            return await _backend.PutAsync(path, content, options, cancellationToken).ConfigureAwait(false);
        }

        var temp = TempNames.For(path);
        try
        {
            await _backend.PutAsync(temp, content, options, cancellationToken).ConfigureAwait(false);
            return await move.MoveAsync(temp, path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Path == temp.Value || e.Message.Contains(temp.Name, StringComparison.Ordinal))
        {
            // The temp name is ours, not the client's: errors speak of the object they asked for.
            await DeleteQuietlyAsync(temp).ConfigureAwait(false);
            throw new VfsException(e.Kind, e.Message.Replace(temp.Value, path.Value, StringComparison.Ordinal).Replace(temp.Name, path.Name, StringComparison.Ordinal), path.Value, e);
        }
        catch
        {
            await DeleteQuietlyAsync(temp).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// rmdir of a directory that holds only temp files (hidden, so it looks empty): those are
    /// leftovers of interrupted uploads or uploads racing the rmdir, and go first (issue 12: an empty
    /// leftover directory must be removable, and DeleteBucket must work).
    /// </summary>
    private async ValueTask<bool> RemoveTempFilesAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        var temps = new List<VfsPath>();
        await foreach (var entry in _backend.ListAsync(dir, cancellationToken).ConfigureAwait(false))
        {
            if (entry.IsDirectory || !TempNames.IsTemp(entry.Name))
            {
                return false;
            }

            temps.Add(entry.Path);
        }

        foreach (var temp in temps)
        {
            await DeleteQuietlyAsync(temp).ConfigureAwait(false);
        }

        return temps.Count > 0;
    }

    private async ValueTask<Entry?> TryStatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            return await StatAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            // The move itself reports the missing source.
            return null;
        }
    }

    private async ValueTask DeleteQuietlyAsync(VfsPath temp)
    {
        try
        {
            // Not the request's token: the client may be gone, the cleanup must still happen.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _backend.DeleteAsync(temp, cts.Token).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
        }
        catch (Exception e)
        {
            LogCleanupFailed(_logger, temp.Value, e.Message);
        }
    }
}
