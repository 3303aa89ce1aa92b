using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs.Cache;

internal sealed partial class VfsCache
{
    private readonly PriorityQueue<(CacheItem Item, long Generation), DateTimeOffset> _queue = new();
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _schedulerStop = new();
    private readonly CancellationTokenSource _uploadStop = new();
    private readonly HashSet<Task> _running = [];
    private readonly SemaphoreSlim _transfers;
    private readonly Task _scheduler;

    /// <summary>Queues the upload of generation <paramref name="generation"/> of an item at <paramref name="due"/>.</summary>
    private void Enqueue(CacheItem item, long generation, DateTimeOffset due)
    {
        lock (_queueLock)
        {
            _queue.Enqueue((item, generation), due);
        }

        _wake.Release();
    }

    private async Task RunSchedulerAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            (CacheItem Item, long Generation) next = default;
            var wait = Timeout.InfiniteTimeSpan;
            lock (_queueLock)
            {
                if (_queue.TryPeek(out var head, out var due))
                {
                    var now = _time.GetUtcNow();
                    if (due <= now)
                    {
                        next = _queue.Dequeue();
                    }
                    else
                    {
                        wait = due - now;
                    }
                }
            }

            try
            {
                if (next.Item is null)
                {
                    await _wake.WaitAsync(wait, stop).ConfigureAwait(false);
                    continue;
                }

                await _transfers.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var task = Task.Run(() => UploadAsync(next.Item, next.Generation), CancellationToken.None);
            lock (_running)
            {
                _running.Add(task);
            }

            _ = task.ContinueWith(
                t =>
                {
                    lock (_running)
                    {
                        _running.Remove(t);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

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
        finally
        {
            _transfers.Release();
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
        if (_schedulerStop.IsCancellationRequested)
        {
            return;
        }

        await _schedulerStop.CancelAsync().ConfigureAwait(false);
        await _evictor.DisposeAsync().ConfigureAwait(false);
        await _scheduler.ConfigureAwait(false);
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

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
        _schedulerStop.Cancel();
        _evictor.Abandon();
        _uploadStop.Cancel();
        _store.Dispose();
    }
}
