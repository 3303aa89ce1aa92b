using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using VfsGateway.IntegrationTests.Frontends.S3;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>
/// Issue 12 "Crash and fault safety": a real gateway is SIGKILLed while uploads stream into new
/// directories, then restarted over the same local directory. Afterwards no temp file is left, no
/// phantom "dir/" key is listed, DeleteBucket works, and --max-size counts only real objects.
/// </summary>
public sealed partial class CrashRestartTests
{
    private const int InFlight = 6;
    private const int SentBeforeKill = 512 * 1024;

    [Fact]
    public async Task SigkillMidUpload_Restart_NoTempFilesNoPhantomKeysCorrectUsage()
    {
        using var temp = new TempDir("crash");
        var data = temp.Sub("data");
        Directory.CreateDirectory(data);
        var kept = RandomNumberGenerator.GetBytes(100 * 1024);

        await using (var gateway = await GatewayServer.StartAsync("serve", "s3", "local:" + data, "--no-auth"))
        {
            using var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/crash", null)).StatusCode);
            using (var put = new ByteArrayContent(kept))
            {
                Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/crash/keep/obj", put)).StatusCode);
            }

            // Uploads into directories that do not exist yet, and one overwriting the kept object.
            using var abort = new CancellationTokenSource();
            var uploads = Enumerable.Range(0, InFlight)
                .Select(i => SlowPutAsync(http, i == 0 ? "/crash/keep/obj" : $"/crash/dir{i}/sub/obj", abort.Token))
                .ToList();
            await WaitForAsync(() => TempFiles(data).Count == InFlight && TempFiles(data).All(f => new FileInfo(f).Length >= SentBeforeKill), "every upload to have a temp file with data");

            await gateway.SignalAsync("KILL");
            await WaitForAsync(() => gateway.HasExited, "the gateway to die");
            await abort.CancelAsync();
            await Task.WhenAll(uploads.Select(u => u.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        Assert.Equal(InFlight, TempFiles(data).Count);

        await using (var s3 = await S3Gateway.StartAsync(data))
        {
            Assert.Empty(TempFiles(data));
            var aws = AwsCli.V2;
            var listing = await s3.Aws(aws).MustAsync("s3api", "list-objects-v2", "--bucket", "crash", "--output", "json");
            using (var json = JsonDocument.Parse(listing.Stdout))
            {
                var keys = json.RootElement.GetProperty("Contents").EnumerateArray().Select(e => e.GetProperty("Key").GetString()).ToList();
                Assert.Equal(["keep/obj"], keys);
            }

            await s3.Aws(aws).MustAsync("s3", "cp", "--only-show-errors", "s3://crash/keep/obj", temp.Sub("kept.back"));
            Assert.Equal(kept, await File.ReadAllBytesAsync(temp.Sub("kept.back")));
        }

        // --max-size is recomputed from the storage at startup: the 3 MiB the killed uploads had
        // written are gone and were never counted; 100 KiB are in use.
        await using (var restic = await GatewayServer.StartAsync("serve", "restic", "local:" + data, "--no-auth", "--max-size", "1M"))
        {
            using var http = new HttpClient { BaseAddress = new Uri(restic.BaseUrl) };
            Assert.Equal(HttpStatusCode.OK, await PostBlobAsync(http, RandomNumberGenerator.GetBytes(900 * 1024)));
            Assert.Equal(HttpStatusCode.InsufficientStorage, await PostBlobAsync(http, RandomNumberGenerator.GetBytes(30 * 1024)));
        }

        await using (var s3 = await S3Gateway.StartAsync(data))
        {
            var aws = AwsCli.V2;
            await s3.Aws(aws).MustAsync("s3", "rm", "--only-show-errors", "--recursive", "s3://crash");
            await s3.Aws(aws).MustAsync("s3", "rb", "s3://crash");
            Assert.False(Directory.Exists(Path.Combine(data, "crash")));
        }
    }

    private static async Task<HttpStatusCode> PostBlobAsync(HttpClient http, byte[] blob)
    {
        using var content = new ByteArrayContent(blob);
        using var response = await http.PostAsync($"/crash/data/{Convert.ToHexStringLower(SHA256.HashData(blob))}", content);
        return response.StatusCode;
    }

    /// <summary>A PUT announcing 4 MiB that sends <see cref="SentBeforeKill"/> bytes and then stalls until cancelled.</summary>
    private static async Task SlowPutAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(new StallingStream(SentBeforeKill, cancellationToken));
        content.Headers.ContentLength = 4L << 20;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PutAsync(path, content, cancellationToken);
    }

    private static List<string> TempFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*.partial", SearchOption.AllDirectories)];

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    private sealed class StallingStream(int before, CancellationToken stall) : Stream
    {
        private int _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent >= before)
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(stall, cancellationToken).Token);
            }

            var n = Math.Min(buffer.Length, before - _sent);
            buffer.Span[..n].Fill(0x5a);
            _sent += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
