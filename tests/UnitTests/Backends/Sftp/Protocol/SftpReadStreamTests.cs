using System.Security.Cryptography;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Backends.Sftp.Protocol;

public sealed class SftpReadStreamTests
{
    private static readonly SftpHandle Handle = new("file"u8.ToArray());

    [Theory]
    [InlineData(0, 200_000, 32 * 1024, 64, 200_000)]
    [InlineData(1234, 150_000, 32 * 1024, 8, 7000)]
    [InlineData(199_990, 10, 32 * 1024, 64, 3)]
    [InlineData(5, 100_000, 1024, 3, 1024)]
    public async Task ReadAsync_ShortRepliesAnsweredOutOfOrder_DeliversExactlyTheRange(int offset, int count, int chunk, int concurrency, int maxReply)
    {
        var content = RandomNumberGenerator.GetBytes(200_000);
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            using var file = new FileServer(server, content, maxReply);
            var stream = new SftpReadStream(session, Handle, offset, count, chunk, concurrency, e => e, null);
            using var copy = new MemoryStream();
            await using (stream)
            {
                await stream.CopyToAsync(copy);
            }

            await file.WaitForCloseAsync();
            Assert.Equal(content[offset..(offset + count)], copy.ToArray());
            Assert.True(file.MaxInFlight <= concurrency, $"{file.MaxInFlight} requests in flight");
            Assert.True(file.MaxRequested <= chunk);
            if (count >= concurrency * chunk * 2)
            {
                Assert.True(file.MaxInFlight > 1, "reads were not pipelined");
            }

            await file.StopAsync();
        }
    }

    [Fact]
    public async Task ReadAsync_FileShrankSinceStat_EofEndsTheStreamEarly()
    {
        var content = RandomNumberGenerator.GetBytes(10_000);
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            using var file = new FileServer(server, content, 4096);
            var stream = new SftpReadStream(session, Handle, 0, 50_000, 4096, 16, e => e, null);
            using var copy = new MemoryStream();
            await using (stream)
            {
                await stream.CopyToAsync(copy);
                Assert.Equal(0, await stream.ReadAsync(new byte[10]));
            }

            Assert.Equal(content, copy.ToArray());
            await file.StopAsync();
        }
    }

    [Fact]
    public async Task ReadAsync_ErrorStatus_IsMappedByTheCaller()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var stream = new SftpReadStream(
                session, Handle, 0, 1000, 1024, 4, e => new VfsException(VfsErrorKind.PermissionDenied, "mapped", null, e), null);
            await using (stream)
            {
                var read = stream.ReadAsync(new byte[100]).AsTask();
                var r = await server.ReceiveAsync();
                await server.SendStatusAsync(r.Id, SftpStatusCode.PermissionDenied, "denied");

                var e = await Assert.ThrowsAsync<VfsException>(() => read);
                Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
                Assert.IsType<SftpStatusException>(e.InnerException);
            }
        }
    }

    [Fact]
    public async Task ReadAsync_ServerClosesMidTransfer_ThrowsTransient()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var stream = new SftpReadStream(session, Handle, 0, content.Length, 8192, 8, e => e, null);
            await using (stream)
            {
                var first = stream.ReadAsync(new byte[8192]).AsTask();
                var r = await server.ReceiveAsync();
                r.Body.ReadBytes();
                var offset = (int)r.Body.U64();
                await server.SendDataAsync(r.Id, content.AsSpan(offset, 8192));
                Assert.Equal(8192, await first);
                await server.CloseAsync();

                var e = await Assert.ThrowsAsync<VfsException>(async () => await stream.CopyToAsync(Stream.Null));
                Assert.Equal(VfsErrorKind.Transient, e.Kind);
            }
        }
    }

    [Fact]
    public async Task DisposeAsync_WithReadsInFlight_ClosesTheHandleAndIgnoresLateReplies()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var stream = new SftpReadStream(session, Handle, 0, 1_000_000, 4096, 4, e => e, null);
            var read = stream.ReadAsync(new byte[10]).AsTask();
            var requests = new List<FakeSftpServer.FakeRequest>();
            for (var i = 0; i < 4; i++)
            {
                requests.Add(await server.ReceiveAsync());
            }

            await server.SendDataAsync(requests[0].Id, new byte[4096]);
            Assert.Equal(10, await read);
            var dispose = stream.DisposeAsync().AsTask();
            var close = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Close, close.Type);
            foreach (var r in requests.Skip(1))
            {
                await server.SendDataAsync(r.Id, new byte[4096]);
            }

            await dispose.WaitAsync(TimeSpan.FromSeconds(10));
            await server.SendStatusAsync(close.Id, SftpStatusCode.Ok);

            Assert.True(SpinWait.SpinUntil(() => session.PendingCount == 0, TimeSpan.FromSeconds(10)));
            Assert.True(session.IsAlive);
        }
    }

    /// <summary>
    /// Serves READs of one file: each reply carries at most <c>maxReply</c> bytes (a short read)
    /// and whatever arrived together is answered newest first, so replies come out of order.
    /// </summary>
    private sealed class FileServer : IDisposable
    {
        private readonly FakeSftpServer _server;
        private readonly byte[] _content;
        private readonly int _maxReply;
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _loop;

        public FileServer(FakeSftpServer server, byte[] content, int maxReply)
        {
            _server = server;
            _content = content;
            _maxReply = maxReply;
            _loop = Task.Run(LoopAsync);
        }

        public int MaxInFlight { get; private set; }

        public int MaxRequested { get; private set; }

        public Task WaitForCloseAsync() => _closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public void Dispose() => _stop.Dispose();

        private async Task LoopAsync()
        {
            var pending = new List<FakeSftpServer.FakeRequest>();
            while (!_stop.IsCancellationRequested)
            {
                FakeSftpServer.FakeRequest? request;
                try
                {
                    request = await _server.TryReceiveAsync(TimeSpan.FromMilliseconds(pending.Count > 0 ? 15 : 100));
                }
                catch (EndOfStreamException)
                {
                    return;
                }

                if (request is not null)
                {
                    if (request.Type == SftpPacketType.Close)
                    {
                        await _server.SendStatusAsync(request.Id, SftpStatusCode.Ok);
                        _closed.TrySetResult();
                    }
                    else
                    {
                        Assert.Equal(SftpPacketType.Read, request.Type);
                        pending.Add(request);
                        MaxInFlight = Math.Max(MaxInFlight, pending.Count);
                    }

                    continue;
                }

                foreach (var r in Enumerable.Reverse(pending))
                {
                    Assert.Equal("file"u8.ToArray(), r.Body.ReadBytes());
                    var offset = (long)r.Body.U64();
                    var length = (int)r.Body.U32();
                    MaxRequested = Math.Max(MaxRequested, length);
                    if (offset >= _content.Length)
                    {
                        await _server.SendStatusAsync(r.Id, SftpStatusCode.Eof);
                    }
                    else
                    {
                        var n = (int)Math.Min(Math.Min(length, _maxReply), _content.Length - offset);
                        await _server.SendDataAsync(r.Id, _content.AsSpan((int)offset, n));
                    }
                }

                pending.Clear();
            }
        }
    }
}
