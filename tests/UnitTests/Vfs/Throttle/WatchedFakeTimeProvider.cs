using Microsoft.Extensions.Time.Testing;

namespace VfsGateway.UnitTests.Vfs.Throttle;

/// <summary>
/// <see cref="FakeTimeProvider"/> that also knows which of its timers are armed, so the throttle tests
/// can wait until the code under test sleeps (<see cref="WaitForTimerAsync"/>) and then move the clock
/// exactly to that wake-up time (<see cref="FireNext"/>) instead of guessing a step.
/// </summary>
internal sealed class WatchedFakeTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<WatchedTimer> _timers = [];
    private TaskCompletionSource? _armed;

    public WatchedFakeTimeProvider()
        : base(DateTimeOffset.UnixEpoch)
    {
    }

    /// <summary>How far the clock has moved since it was made.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired(period);
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once some timer is armed (at once when one already is).</summary>
    public Task WaitForTimerAsync()
    {
        lock (_lock)
        {
            if (_timers.Any(t => t.Due is not null))
            {
                return Task.CompletedTask;
            }

            _armed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _armed.Task;
        }
    }

    /// <summary>Moves the clock to the earliest armed timer, which fires; false when none is armed.</summary>
    public bool FireNext()
    {
        DateTimeOffset? next;
        lock (_lock)
        {
            next = _timers.Where(t => t.Due is not null).Min(t => t.Due);
        }

        if (next is null)
        {
            return false;
        }

        var now = GetUtcNow();
        Advance(next.Value > now ? next.Value - now : TimeSpan.Zero);
        return true;
    }

    private void Track(WatchedTimer timer, DateTimeOffset? due)
    {
        TaskCompletionSource? armed = null;
        lock (_lock)
        {
            timer.Due = due;
            if (due is null)
            {
                return;
            }

            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            (armed, _armed) = (_armed, null);
        }

        armed?.TrySetResult();
    }

    private void Forget(WatchedTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class WatchedTimer(WatchedFakeTimeProvider clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        /// <summary>Guarded by the clock's lock; null while disarmed.</summary>
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Track(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Fired(TimeSpan period) =>
            clock.Track(this, period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : clock.GetUtcNow() + period);

        public void Dispose()
        {
            clock.Forget(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
