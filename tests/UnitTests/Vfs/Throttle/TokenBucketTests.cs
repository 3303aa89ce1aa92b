using VfsGateway.Vfs.Throttle;

namespace VfsGateway.UnitTests.Vfs.Throttle;

public sealed class TokenBucketTests
{
    [Theory]
    [InlineData(1L << 20, 256L << 10)]
    [InlineData(1_000_000, 300_000)]
    [InlineData(10L << 20, 200L << 20)]
    public async Task ThrottledRead_NBytesAtRateR_TakesNOverRFakeSeconds(long size, long rate)
    {
        var clock = new WatchedFakeTimeProvider();
        var bucket = new TokenBucket(rate, clock);
        var stream = new ThrottledReadStream(new ZeroStream(size), bucket, leaveOpen: false);

        await ClockDriver.RunAsync(clock, stream.CopyToAsync(Stream.Null, 128 * 1024));

        var expected = TimeSpan.FromSeconds((double)size / rate);
        Assert.InRange(clock.Elapsed, expected, expected + TimeSpan.FromMilliseconds(1));
        Assert.Equal(size, bucket.TotalBytes);
    }

    [Fact]
    public async Task Take_WithinRate_DoesNotWaitAfterIdle()
    {
        var clock = new WatchedFakeTimeProvider();
        var bucket = new TokenBucket(1000, clock);
        clock.Advance(TimeSpan.FromSeconds(10));

        // After an idle spell the bucket holds a tenth of a second's worth, no more.
        var withinBurst = bucket.TakeAsync(100, CancellationToken.None);
        var beyond = bucket.TakeAsync(100, CancellationToken.None);

        Assert.True(withinBurst.IsCompletedSuccessfully);
        Assert.False(beyond.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(beyond.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await beyond;
    }

    [Fact]
    public async Task Take_Cancelled_StopsWaitingAndDropsItsTimer()
    {
        var clock = new WatchedFakeTimeProvider();
        var bucket = new TokenBucket(1000, clock);
        using var cts = new CancellationTokenSource();

        var pending = bucket.TakeAsync(10_000, cts.Token).AsTask();
        Assert.False(pending.IsCompleted);
        Assert.Equal(1, clock.ArmedTimers);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(0, clock.ArmedTimers);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
    }

    [Fact]
    public async Task ThrottledRead_CancelledWhileWaiting_Throws()
    {
        var clock = new WatchedFakeTimeProvider();
        var stream = new ThrottledReadStream(new ZeroStream(1 << 20), new TokenBucket(4096, clock), leaveOpen: false);
        using var cts = new CancellationTokenSource();
        var buffer = new byte[64 * 1024];

        var read = stream.ReadAsync(buffer, cts.Token).AsTask();
        await clock.WaitForTimerAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task ThrottledRead_SlowRate_ReadsAtMostATenthOfASecondAtOnce()
    {
        var clock = new WatchedFakeTimeProvider();
        var stream = new ThrottledReadStream(new ZeroStream(1 << 20), new TokenBucket(100_000, clock), leaveOpen: false);
        var buffer = new byte[128 * 1024];

        var read = stream.ReadAsync(buffer).AsTask();
        await ClockDriver.RunAsync(clock, read);

        Assert.Equal(10_000, await read);
        Assert.Equal(TimeSpan.FromMilliseconds(100), clock.Elapsed);
    }

    [Fact]
    public async Task Buckets_OneDirectionBusy_OtherIsNotHeldUp()
    {
        var clock = new WatchedFakeTimeProvider();
        var upload = new TokenBucket(1000, clock);
        var download = new TokenBucket(1000, clock);

        var slowUpload = upload.TakeAsync(10_000, CancellationToken.None).AsTask();
        var download1 = download.TakeAsync(500, CancellationToken.None).AsTask();
        await ClockDriver.RunAsync(clock, download1);

        Assert.Equal(TimeSpan.FromMilliseconds(500), clock.Elapsed);
        Assert.False(slowUpload.IsCompleted);
        await ClockDriver.RunAsync(clock, slowUpload);
        Assert.Equal(TimeSpan.FromSeconds(10), clock.Elapsed);
    }

    [Fact]
    public async Task Bucket_SharedByTwoTransfers_SplitsTheRate()
    {
        var clock = new WatchedFakeTimeProvider();
        var bucket = new TokenBucket(64 * 1024, clock);
        var a = new ThrottledReadStream(new ZeroStream(128 * 1024), bucket, leaveOpen: false).CopyToAsync(Stream.Null, 16 * 1024);
        var b = new ThrottledReadStream(new ZeroStream(128 * 1024), bucket, leaveOpen: false).CopyToAsync(Stream.Null, 16 * 1024);

        await ClockDriver.RunAsync(clock, Task.WhenAll(a, b));

        // 256 KiB through one 64 KiB/s bucket: 4 s, not the 2 s each would take alone.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4) + TimeSpan.FromMilliseconds(1));
    }
}
