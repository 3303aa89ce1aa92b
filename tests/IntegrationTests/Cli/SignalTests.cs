using System.Net;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>Real signals to a real server process (issue 14): SIGHUP reloads and never ends it; SIGTERM/SIGINT drain and exit 0.</summary>
public sealed class SignalTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Sighup_WithoutHtpasswd_KeepsServingAndReopensTheAccessLog()
    {
        using var dir = new TempDir("gw-itest-sighup");
        var log = Path.Combine(dir.Path, "access.log");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "--no-auth", "--log", log, $"local:{Path.Combine(dir.Path, "repo")}");
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        (await client.GetAsync(new Uri("/_gateway/health/live?before", UriKind.Relative))).Dispose();
        File.Move(log, log + ".1"); // what logrotate does before postrotate
        await server.SignalAsync("HUP");
        await WaitForAsync(() => server.Stderr.Contains("SIGHUP: access log reopened", StringComparison.Ordinal));
        (await client.GetAsync(new Uri("/_gateway/health/live?after", UriKind.Relative))).Dispose();

        Assert.False(server.HasExited);
        await WaitForAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("?after", StringComparison.Ordinal));
        Assert.Contains("?before", await File.ReadAllTextAsync(log + ".1"), StringComparison.Ordinal);
        Assert.DoesNotContain("?before", await File.ReadAllTextAsync(log), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task StopSignal_RequestInFlight_FinishesAndExitsZero(string signal)
    {
        using var dir = new TempDir("gw-itest-drain");
        await using var server = await GatewayServer.StartAsync("serve", "s3", "--no-auth", "--cache-dir", Path.Combine(dir.Path, "cache"), $"local:{Path.Combine(dir.Path, "root")}");
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        (await client.PutAsync(new Uri("/bucket", UriKind.Relative), null)).EnsureSuccessStatusCode();

        // An upload whose second half arrives only after the signal.
        var body = new SlowBody();
        using var content = new StreamContent(body);
        content.Headers.ContentLength = SlowBody.Size;
        var upload = client.PutAsync(new Uri("/bucket/object", UriKind.Relative), content);
        await body.HalfSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        await server.SignalAsync(signal);
        await Task.Delay(700);
        body.Release.SetResult();

        using var response = await upload.WaitAsync(ExitTimeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await server.WaitForExitAsync(ExitTimeout));
        Assert.Equal(SlowBody.Size, new FileInfo(Path.Combine(dir.Path, "root", "bucket", "object")).Length);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(100);
        }
    }

    /// <summary>A request body that stops halfway until released.</summary>
    private sealed class SlowBody : Stream
    {
        public const int Size = 256 * 1024;
        private long _position;

        public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => Size;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == Size / 2)
            {
                HalfSent.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            var limit = _position < Size / 2 ? Size / 2 : Size;
            var n = (int)Math.Min(buffer.Length, limit - _position);
            buffer.Span[..n].Fill((byte)'x');
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
