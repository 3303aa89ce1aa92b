using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs.Cache;

internal sealed partial class VfsCache
{
    private readonly CancellationTokenSource _uploadStop = new();
    private readonly WriteBackQueue _writeBack;

    private void Enqueue(CacheItem item, long generation, DateTimeOffset due) => _writeBack.Enqueue(item, generation, due);

    /// <summary>One upload attempt of one generation; reschedules itself on failure.</summary>
    private async Task UploadAsync(CacheItem item, long generation)
    {
        try
        {
            await UploadCoreAsync(item, generation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Bookkeeping failed (the cache disk itself); the item stays dirty on disk and is retried at the next start.
            CacheLog.BackgroundError(_logger, $"upload of {item.Path}", e.Message);
        }
    }

    private async Task UploadCoreAsync(CacheItem item, long generation)
    {
        CacheRecord record;
        CancellationTokenSource cancel;
        TaskCompletionSource done;
        SafeFileHandle handle;
        while (true)
        {
            if (item.Removed || _uploadStop.IsCancellationRequested)
            {
                return;
            }

            Task? previous;
            await item.Lock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (item.Removed || item.Record is not { IsDirty: true } current || current.Generation != generation)
                {
                    return; // superseded by a newer write (queued on its own) or deleted
                }

                previous = item.IsUploading ? item.UploadDone : null;
                if (previous is null)
                {
                    record = current;
                    handle = File.OpenHandle(item.Data!.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
                    cancel = CancellationTokenSource.CreateLinkedTokenSource(_uploadStop.Token);
                    done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    item.UploadCancel = cancel;
                    item.UploadDone = done.Task;
                    break;
                }
            }
            finally
            {
                item.Lock.Release();
            }

            // An older generation is still finishing (it was cancelled when this one was written).
            await previous.ConfigureAwait(false);
        }

        Stats.AddUploading(1);
        Entry? uploaded = null;
        Exception? error = null;
        try
        {
            var content = new CacheUploadStream(handle, record.Size, record.Sha256, item.Path);
            await using (content.ConfigureAwait(false))
            {
                var recorded = MetadataOf(record);
                var options = new PutOptions(record.Size, record.ModTime, record.ContentType, record.Metadata)
                {
                    // Backends with native metadata store it with the object in the put itself.
                    ObjectMetadataProvider = _ => ValueTask.FromResult(recorded),
                };
                var stored = await _storage.PutAsync(item.Path, content, options, cancel.Token).ConfigureAwait(false);
                if (recorded is { } metadata && !_storage.HasNativeMetadata)
                {
                    // Before the item turns clean: a failure here retries the whole upload, so the
                    // metadata is never silently lost.
                    await _storage.SetMetadataAsync(stored, metadata, cancel.Token).ConfigureAwait(false);
                }

                uploaded = stored;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            handle.Dispose();
            Stats.AddUploading(-1);
        }

        await item.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            item.UploadCancel = null;
            item.UploadDone = null;
            var stillCurrent = !item.Removed && item.Record is { IsDirty: true } now && now.Generation == generation;
            if (uploaded is not null)
            {
                Stats.UploadCompleted();
                CacheLog.Uploaded(_logger, item.Path.Value, record.Size);
                if (stillCurrent && !_abandoned)
                {
                    try
                    {
                        await MarkCleanAsync(item, record, uploaded).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or VfsException)
                    {
                        // The upload is done but the cache could not record it: upload again later
                        // (harmless, same bytes) rather than leave a dirty item nobody retries.
                        CacheLog.BackgroundError(_logger, $"recording the upload of {item.Path}", e.Message);
                        Enqueue(item, generation, _time.GetUtcNow() + RetryDelay(++item.ConsecutiveFailures));
                    }
                }
            }
            else if (stillCurrent && !cancel.IsCancellationRequested && !_abandoned)
            {
                Stats.UploadFailed();
                item.ConsecutiveFailures++;
                var delay = RetryDelay(item.ConsecutiveFailures);
                CacheLog.UploadRetry(_logger, item.Path.Value, item.ConsecutiveFailures, delay, error?.Message ?? "unknown error");
                Enqueue(item, generation, _time.GetUtcNow() + delay);
            }

            RemoveIfUnused(item);
        }
        finally
        {
            cancel.Dispose();
            item.Lock.Release();
            done.SetResult();
        }
    }

    /// <summary>The upload succeeded: mode writes forgets the item, mode full keeps it as a clean copy.</summary>
    private async ValueTask MarkCleanAsync(CacheItem item, CacheRecord record, Entry uploaded)
    {
        // Into the dir cache first, so no listing falls between the dirty overlay and the backend's view.
        _storage.NoteWritten(uploaded);
        if (!FullMode || item.Data is null)
        {
            ClearItem(item);
        }
        else
        {
            var clean = record with
            {
                State = CacheRecord.CleanState,
                Sha256 = null,
                RemoteETag = uploaded.ETag,
                RemoteModTime = uploaded.ModTime,
                Ranges = item.Data.Ranges.ToRecord(),
                LastAccess = item.LastAccess,
            };
            await _store.WriteRecordAsync(item.Key, clean, CancellationToken.None).ConfigureAwait(false);
            SetDirty(item, clean);
            item.Record = clean;
        }

        item.ConsecutiveFailures = 0;
    }

    private TimeSpan RetryDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ms = Math.Min(_options.UploadRetryDelay.TotalMilliseconds * factor, _options.MaxUploadRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>
    /// Stops the upload workers: running uploads get up to <paramref name="timeout"/> to finish,
    /// then are cancelled; everything not uploaded stays dirty on disk for the next start.
    /// </summary>
    public async ValueTask StopAsync(TimeSpan timeout)
    {
        if (_writeBack.Stopped)
        {
            return;
        }

        var running = await _writeBack.StopSchedulingAsync(_evictor.DisposeAsync).ConfigureAwait(false);

        try
        {
            await Task.WhenAll(running).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _uploadStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running).ConfigureAwait(false);
        }

        if (Stats.DirtyItems > 0)
        {
            CacheLog.StoppedWithDirty(_logger, Stats.DirtyItems);
        }

        _store.Dispose();
    }

    /// <summary>
    /// Test hook for a crash: stops everything at once without waiting, writes nothing more to the
    /// cache directory and releases the lock file, as the kernel does when the process dies.
    /// </summary>
    internal void Abandon()
    {
        _abandoned = true;
        _writeBack.Abandon();
        _evictor.Abandon();
        _uploadStop.Cancel();
        _store.Dispose();
    }
}
