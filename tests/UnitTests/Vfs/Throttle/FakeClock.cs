namespace VfsGateway.UnitTests.Vfs.Throttle;

/// <summary>
/// A hand-written clock for throttle tests: time moves only in <see cref="Advance"/> or
/// <see cref="FireNext"/>, and the timers behind Task.Delay(…, TimeProvider) fire only then.
/// </summary>
internal sealed class FakeClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private TaskCompletionSource? _armed;
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp());

    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueTicks is not null);
            }
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _ticks;
        }
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once some timer is armed (at once when one already is).</summary>
    public Task WaitForTimerAsync()
    {
        lock (_lock)
        {
            if (_timers.Any(t => t.DueTicks is not null))
            {
                return Task.CompletedTask;
            }

            _armed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _armed.Task;
        }
    }

    /// <summary>Moves the clock to the earliest armed timer and fires it; false when none is armed.</summary>
    public bool FireNext()
    {
        FakeTimer? next;
        lock (_lock)
        {
            next = _timers.Where(t => t.DueTicks is not null).MinBy(t => t.DueTicks);
            if (next is null)
            {
                return false;
            }

            _ticks = Math.Max(_ticks, next.DueTicks!.Value);
            next.DueTicks = null;
        }

        next.Fire();
        return true;
    }

    /// <summary>Moves the clock forward, firing every timer that comes due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        long target;
        lock (_lock)
        {
            target = _ticks + by.Ticks;
        }

        while (true)
        {
            FakeTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueTicks <= target).MinBy(t => t.DueTicks);
                if (next is null)
                {
                    _ticks = target;
                    return;
                }

                _ticks = Math.Max(_ticks, next.DueTicks!.Value);
                next.DueTicks = null;
            }

            next.Fire();
        }
    }

    private void Arm(FakeTimer timer, TimeSpan dueTime)
    {
        TaskCompletionSource? armed = null;
        lock (_lock)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                timer.DueTicks = null;
            }
            else
            {
                timer.DueTicks = _ticks + dueTime.Ticks;
                if (!_timers.Contains(timer))
                {
                    _timers.Add(timer);
                }

                (armed, _armed) = (_armed, null);
            }
        }

        armed?.TrySetResult();
    }

    private void Remove(FakeTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        /// <summary>Guarded by the clock's lock.</summary>
        public long? DueTicks { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Task.Delay never asks for a period; a one-shot timer is all these tests need.
            clock.Arm(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
