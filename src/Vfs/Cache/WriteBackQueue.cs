namespace VfsGateway.Vfs.Cache;

/// <summary>
/// The write-back scheduler (rclone's vfscache/writeback): uploads queued by due time and started
/// when due, at most <c>transfers</c> at once. What an upload does, and re-queueing it after a
/// failure, is the cache's <c>upload</c> callback; an upload still queued at a stop stays dirty on
/// disk for the next start.
/// </summary>
// A write racing a stop may still Enqueue (Release the wake semaphore), so nothing here is disposed,
// as before this type was pulled out of VfsCache; the semaphores and the CTS hold no OS handle
// unless a WaitHandle is asked for, which nothing does.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "See the comment above: disposal would race late Enqueue calls.")]
internal sealed class WriteBackQueue
{
    private readonly PriorityQueue<(CacheItem Item, long Generation), DateTimeOffset> _queue = new();
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Task> _running = [];
    private readonly SemaphoreSlim _transfers;
    private readonly TimeProvider _time;
    private readonly Func<CacheItem, long, Task> _upload;
    private Task _scheduler = Task.CompletedTask;

    public WriteBackQueue(int transfers, TimeProvider time, Func<CacheItem, long, Task> upload)
    {
        _transfers = new SemaphoreSlim(transfers, transfers);
        _time = time;
        _upload = upload;
    }

    /// <summary>True once scheduling stopped (<see cref="StopSchedulingAsync"/> or <see cref="Abandon"/>).</summary>
    public bool Stopped => _stop.IsCancellationRequested;

    /// <summary>Starts handing out due uploads (items queued before, e.g. by recovery, wait until then).</summary>
    public void Start() => _scheduler = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Queues the upload of generation <paramref name="generation"/> of an item at <paramref name="due"/>.</summary>
    public void Enqueue(CacheItem item, long generation, DateTimeOffset due)
    {
        lock (_queueLock)
        {
            _queue.Enqueue((item, generation), due);
        }

        _wake.Release();
    }

    /// <summary>
    /// Stops starting uploads; completes when the scheduler has stopped, with the uploads still
    /// running then (the caller decides how long to wait for them).
    /// </summary>
    public async Task<Task[]> StopSchedulingAsync(Func<ValueTask> meanwhile)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await meanwhile().ConfigureAwait(false);
        await _scheduler.ConfigureAwait(false);
        lock (_running)
        {
            return [.. _running];
        }
    }

    /// <summary>Stops scheduling at once without waiting (a simulated crash).</summary>
    public void Abandon() => _stop.Cancel();

    private async Task RunAsync(CancellationToken stop)
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

            var task = Task.Run(() => RunOneAsync(next.Item, next.Generation), CancellationToken.None);
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

    private async Task RunOneAsync(CacheItem item, long generation)
    {
        try
        {
            await _upload(item, generation).ConfigureAwait(false);
        }
        finally
        {
            _transfers.Release();
        }
    }
}
