using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Throttle;

namespace VfsGateway.UnitTests.Vfs.Throttle;

public sealed class ThrottledBackendTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly MemoryBackend _memory = new(new MemoryOptions(VfsPath.Root));
    private readonly WatchedFakeTimeProvider _clock = new();

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime; IAsyncDisposable is there for everyone else.
    Task IAsyncLifetime.DisposeAsync() => _memory.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _memory.DisposeAsync();

    [Fact]
    public void Wrap_Off_ReturnsTheBackendItself()
    {
        Assert.Same(_memory, ThrottledBackend.Wrap(_memory, BandwidthLimit.Off, _clock));
    }

    [Fact]
    public async Task ReadAndPut_DifferentRates_EachDirectionKeepsItsOwn()
    {
        var backend = (ThrottledBackend)ThrottledBackend.Wrap(_memory, new BandwidthLimit(1024, 4096), _clock);
        await _memory.PutAsync(P("down.bin"), new MemoryStream(new byte[8192]), new PutOptions(8192), default);

        await ClockDriver.RunAsync(_clock, backend.PutAsync(P("up.bin"), new MemoryStream(new byte[4096]), new PutOptions(4096), default).AsTask());
        var putDone = _clock.Elapsed;
        await ClockDriver.RunAsync(_clock, ReadAllAsync(backend, "down.bin"));
        var readTime = _clock.Elapsed - putDone;

        // 4 KiB up at 1 KiB/s; then 8 KiB down at 4 KiB/s, of which the download bucket, idle
        // during the upload, already held a tenth of a second's worth.
        Assert.Equal(TimeSpan.FromSeconds(4), putDone);
        Assert.Equal(TimeSpan.FromSeconds(1.9), readTime);
        Assert.Equal(8192, backend.Download!.TotalBytes);
        Assert.Equal(4096, backend.Upload!.TotalBytes);
        Assert.Equal(4096, (await _memory.StatAsync(P("up.bin"), default)).Size);
    }

    [Fact]
    public async Task Put_DownloadOnlyLimit_IsNotThrottled()
    {
        var backend = (ThrottledBackend)ThrottledBackend.Wrap(_memory, new BandwidthLimit(null, 1), _clock);

        await backend.PutAsync(P("free.bin"), new MemoryStream(new byte[100_000]), new PutOptions(100_000), default);

        Assert.Null(backend.Upload);
        Assert.Equal(TimeSpan.Zero, _clock.Elapsed);
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public async Task Put_LeavesTheCallersStreamOpen()
    {
        var backend = ThrottledBackend.Wrap(_memory, new BandwidthLimit(1L << 30, 1L << 30), _clock);
        var content = new MemoryStream(new byte[10]);

        await ClockDriver.RunAsync(_clock, backend.PutAsync(P("open.bin"), content, new PutOptions(10), default).AsTask());

        Assert.True(content.CanRead);
    }

    [Fact]
    public void Features_AreTheBackends_SoServerSideCopyAndMoveAreNotThrottled()
    {
        var backend = ThrottledBackend.Wrap(_memory, new BandwidthLimit(1, 1), _clock);

        Assert.Same(_memory.Features, backend.Features);
    }

    [Fact]
    public async Task OpenRead_Cancelled_StopsTheTransfer()
    {
        var backend = ThrottledBackend.Wrap(_memory, new BandwidthLimit(null, 4096), _clock);
        await _memory.PutAsync(P("slow.bin"), new MemoryStream(new byte[1 << 20]), new PutOptions(1 << 20), default);
        using var cts = new CancellationTokenSource();
        var stream = await backend.OpenReadAsync(P("slow.bin"), null, default);
        await using (stream)
        {
            var copy = stream.CopyToAsync(Stream.Null, cts.Token);
            await _clock.WaitForTimerAsync();
            _clock.FireNext();
            await _clock.WaitForTimerAsync();
            await cts.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copy);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), _clock.Elapsed);
    }

    private static VfsPath P(string path) => VfsPath.Parse(path);

    private static async Task ReadAllAsync(IBackend backend, string path)
    {
        var stream = await backend.OpenReadAsync(P(path), null, default);
        await using (stream)
        {
            await stream.CopyToAsync(Stream.Null);
        }
    }
}
