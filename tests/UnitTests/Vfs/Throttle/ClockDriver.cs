namespace VfsGateway.UnitTests.Vfs.Throttle;

internal static class ClockDriver
{
    /// <summary>A guard against a hung test, not a timing assertion: the fake clock never waits for real time.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Fires the fake clock's timers one by one until <paramref name="work"/> completes.</summary>
    public static async Task RunAsync(WatchedFakeTimeProvider clock, Task work)
    {
        var deadline = Task.Delay(Patience);
        while (!work.IsCompleted)
        {
            var done = await Task.WhenAny(work, clock.WaitForTimerAsync(), deadline);
            if (done == deadline)
            {
                throw new TimeoutException("the throttled work neither finished nor armed a timer");
            }

            if (!work.IsCompleted)
            {
                clock.FireNext();
            }
        }

        await work;
    }
}
