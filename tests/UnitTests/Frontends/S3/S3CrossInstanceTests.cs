using System.Net;
using System.Xml.Linq;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// Two gateway instances (each its own Vfs and S3 frontend) over ONE backend that stages multipart
/// uploads and checks put conditions itself, as two processes behind a load balancer share S3 or
/// Azure: an upload begun on one is served by the other, and conditional writes are atomic across both.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes through IAsyncLifetime.DisposeAsync")]
public sealed class S3CrossInstanceTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private IBackend _backend = null!;
    private S3TestHost _a = null!;
    private S3TestHost _b = null!;

    public async Task InitializeAsync()
    {
        _backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        _a = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: true, shared: _backend);
        _b = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: true, shared: _backend);
        await S3RawClient.SendAsync(_a, "PUT", "/bucket");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task Multipart_PartsOnBothCompleteOnB_ObjectOnA()
    {
        var uploadId = await BeginAsync(_a, "big/object");
        var first = RandomBytes(5 * MiB, 1);
        var second = RandomBytes(1000, 2);
        var p1 = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/big/object?partNumber=1&uploadId={uploadId}", first);
        var p2 = await S3RawClient.SendAsync(_b, "PUT", $"/bucket/big/object?partNumber=2&uploadId={uploadId}", second);
        Assert.Equal(200, p1.Status);
        Assert.Equal(200, p2.Status);

        var parts = await S3RawClient.SendAsync(_b, "GET", $"/bucket/big/object?uploadId={uploadId}");
        var uploads = await S3RawClient.SendAsync(_b, "GET", "/bucket?uploads");
        var complete = await S3RawClient.SendAsync(_b, "POST", $"/bucket/big/object?uploadId={uploadId}", CompletionXml((1, p1.Headers.ETag!), (2, p2.Headers.ETag!)));
        var read = await S3RawClient.SendAsync(_a, "GET", "/bucket/big/object");

        Assert.Equal(["1", "2"], Elements(parts.Body, "PartNumber"));
        Assert.Equal([p1.Headers.ETag.ToString(), p2.Headers.ETag.ToString()], Elements(parts.Body, "ETag"));
        Assert.Equal([uploadId], Elements(uploads.Body, "UploadId"));
        Assert.Equal(["big/object"], Elements(uploads.Body, "Key"));
        Assert.Equal(200, complete.Status);
        var etag = Assert.Single(Elements(complete.Body, "ETag"));
        Assert.EndsWith("-2\"", etag, StringComparison.Ordinal);
        Assert.Equal([.. first, .. second], read.Bytes);
        Assert.Equal(etag, read.Headers.ETag.ToString());

        // Nothing was staged on either instance's disk, and the upload is gone for both.
        Assert.False(Directory.Exists(_a.CacheDir) && Directory.EnumerateFileSystemEntries(_a.CacheDir).Any());
        Assert.False(Directory.Exists(_b.CacheDir) && Directory.EnumerateFileSystemEntries(_b.CacheDir).Any());
        var after = await S3RawClient.SendAsync(_a, "GET", $"/bucket/big/object?uploadId={uploadId}");
        Assert.Contains("<Code>NoSuchUpload</Code>", after.Body);
    }

    [Fact]
    public async Task Multipart_AbortOnB_PartOnAIsNoSuchUpload()
    {
        var uploadId = await BeginAsync(_b, "k");

        var abort = await S3RawClient.SendAsync(_b, "DELETE", $"/bucket/k?uploadId={uploadId}");
        var part = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/k?partNumber=1&uploadId={uploadId}", new byte[10]);
        var wrongKey = await S3RawClient.SendAsync(_a, "GET", $"/bucket/other?uploadId={uploadId}");

        Assert.Equal(204, abort.Status);
        Assert.Equal(404, part.Status);
        Assert.Contains("<Code>NoSuchUpload</Code>", part.Body);
        Assert.Contains("<Code>NoSuchUpload</Code>", wrongKey.Body);
    }

    /// <summary>
    /// A remembers the upload it began (its parts skip the lookup), yet a part sent to A after B
    /// completed the upload is NoSuchUpload, a part naming the id under another key is too, and the
    /// Complete retried on A still answers as the first one did.
    /// </summary>
    [Fact]
    public async Task Multipart_BegunOnACompletedOnB_LaterPartOnAIsNoSuchUpload()
    {
        var uploadId = await BeginAsync(_a, "kept/object");
        var p1 = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/kept/object?partNumber=1&uploadId={uploadId}", RandomBytes(1000, 3));
        var foreign = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/kept/other?partNumber=1&uploadId={uploadId}", new byte[10]);
        var completion = CompletionXml((1, p1.Headers.ETag!));
        var complete = await S3RawClient.SendAsync(_b, "POST", $"/bucket/kept/object?uploadId={uploadId}", completion);

        var late = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/kept/object?partNumber=2&uploadId={uploadId}", new byte[10]);
        var retried = await S3RawClient.SendAsync(_a, "POST", $"/bucket/kept/object?uploadId={uploadId}", completion);

        Assert.Equal(200, p1.Status);
        Assert.Equal(404, foreign.Status);
        Assert.Contains("<Code>NoSuchUpload</Code>", foreign.Body);
        Assert.Equal(200, complete.Status);
        Assert.Equal(404, late.Status);
        Assert.Contains("<Code>NoSuchUpload</Code>", late.Body);
        Assert.Equal(200, retried.Status);
        Assert.Equal(Elements(complete.Body, "ETag"), Elements(retried.Body, "ETag"));
        Assert.Equal(1000, (await S3RawClient.SendAsync(_b, "GET", "/bucket/kept/object")).Bytes.Length);
    }

    [Fact]
    public async Task UploadPartCopy_OnA_CompletedOnB()
    {
        var source = RandomBytes(6 * MiB, 3);
        await S3RawClient.SendAsync(_a, "PUT", "/bucket/src", source);
        var uploadId = await BeginAsync(_a, "dst");

        var copy = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/dst?partNumber=1&uploadId={uploadId}", headers: new() { ["x-amz-copy-source"] = "/bucket/src" });
        var etag = Assert.Single(Elements(copy.Body, "ETag"));
        var complete = await S3RawClient.SendAsync(_b, "POST", $"/bucket/dst?uploadId={uploadId}", CompletionXml((1, etag)));
        var read = await S3RawClient.SendAsync(_b, "GET", "/bucket/dst");

        Assert.Equal(200, complete.Status);
        Assert.Equal(source, read.Bytes);
    }

    [Fact]
    public async Task PutObject_IfNoneMatchRacingOnBothInstances_ExactlyOneWins()
    {
        // Every request has passed any up-front check and is inside its put before the first body
        // ends: only a condition checked atomically with the write lets exactly one of them win.
        const int racers = 6;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new CountdownEvent(racers);
        var puts = Enumerable.Range(0, racers).Select(i => Task.Run(async () =>
        {
            var host = i % 2 == 0 ? _a : _b;
            using var request = new HttpRequestMessage(HttpMethod.Put, "/bucket/race")
            {
                Content = new StreamContent(new GatedStream(new byte[100 + i], started, release.Task)),
            };
            request.Content.Headers.ContentLength = 100 + i;
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
            using var response = await host.Client.SendAsync(request);
            return response.StatusCode;
        })).ToList();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        release.SetResult();

        var statuses = await Task.WhenAll(puts);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(racers - 1, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
    }

    [Fact]
    public async Task PutObject_IfMatchAcrossInstances_OnlyTheCurrentVersion()
    {
        var first = await S3RawClient.SendAsync(_a, "PUT", "/bucket/m", [1, 2, 3]);
        var second = await S3RawClient.SendAsync(_b, "PUT", "/bucket/m", [4, 5], new() { ["If-Match"] = first.Headers.ETag.ToString() });
        var stale = await S3RawClient.SendAsync(_a, "PUT", "/bucket/m", [6], new() { ["If-Match"] = first.Headers.ETag.ToString() });
        var missing = await S3RawClient.SendAsync(_a, "PUT", "/bucket/none", [6], new() { ["If-Match"] = first.Headers.ETag.ToString() });
        var read = await S3RawClient.SendAsync(_a, "GET", "/bucket/m");

        Assert.Equal(200, second.Status);
        Assert.Equal(412, stale.Status);
        Assert.Equal(404, missing.Status);
        Assert.Equal(new byte[] { 4, 5 }, read.Bytes);
    }

    [Fact]
    public async Task Complete_IfNoneMatchWhenObjectExists_PreconditionFailedAndUploadKept()
    {
        var uploadId = await BeginAsync(_a, "exists");
        var part = await S3RawClient.SendAsync(_a, "PUT", $"/bucket/exists?partNumber=1&uploadId={uploadId}", new byte[10]);
        await S3RawClient.SendAsync(_b, "PUT", "/bucket/exists", [9]);

        var complete = await S3RawClient.SendAsync(_b, "POST", $"/bucket/exists?uploadId={uploadId}", CompletionXml((1, part.Headers.ETag!)), new() { ["If-None-Match"] = "*" });
        var parts = await S3RawClient.SendAsync(_a, "GET", $"/bucket/exists?uploadId={uploadId}");

        Assert.Equal(412, complete.Status);
        Assert.Equal(["1"], Elements(parts.Body, "PartNumber"));
    }

    private static async Task<string> BeginAsync(S3TestHost host, string key)
    {
        var init = await S3RawClient.SendAsync(host, "POST", $"/bucket/{key}?uploads");
        return Assert.Single(Elements(init.Body, "UploadId"));
    }

    private static byte[] CompletionXml(params (int Number, string ETag)[] parts) =>
        System.Text.Encoding.UTF8.GetBytes("<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.Number}</PartNumber><ETag>{p.ETag}</ETag></Part>")) + "</CompleteMultipartUpload>");

    private static List<string> Elements(string xml, string name) =>
        [.. XDocument.Parse(xml).Descendants().Where(e => e.Name.LocalName == name).Select(e => e.Value)];

    private static byte[] RandomBytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>A body that hands out all but its last byte, then waits for the gate before the rest.</summary>
    private sealed class GatedStream(byte[] data, CountdownEvent started, Task gate) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == data.Length - 1)
            {
                started.Signal();
                await gate.WaitAsync(cancellationToken);
            }

            var n = Math.Min(buffer.Length, _position < data.Length - 1 ? data.Length - 1 - _position : data.Length - _position);
            data.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
