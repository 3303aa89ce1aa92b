using System.Text;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Backends.Sftp.Protocol;

public sealed class SftpSessionTests
{
    private static readonly SftpHandle Handle = new("h1"u8.ToArray());

    [Fact]
    public async Task StartAsync_Version3WithExtensions_RecordsExtensionsAndLimits()
    {
        var (server, session) = await FakeSftpServer.StartAsync(
            (SftpExtensionNames.PosixRename, "1"), (SftpExtensionNames.Fsync, "1"), (SftpExtensionNames.Limits, "1"));
        await using (session)
        await using (server)
        {
            Assert.True(session.HasExtension(SftpExtensionNames.PosixRename));
            Assert.True(session.HasExtension(SftpExtensionNames.Fsync));
            Assert.False(session.HasExtension(SftpExtensionNames.CopyData));
            Assert.Equal(255UL * 1024, session.Limits!.MaxReadLength);
            Assert.Equal(256UL * 1024, session.Limits.MaxPacketLength);
        }
    }

    [Fact]
    public async Task StatAsync_Attrs_ParsesSizeTypeAndTime()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var stat = session.StatAsync("/a/b", CancellationToken.None).AsTask();
            var request = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Stat, request.Type);
            Assert.Equal("/a/b", request.Body.ReadString());
            await server.SendAsync(SftpPacketType.Attrs, request.Id, w => w.Attrs(12345, 0x81A4, 1_700_000_000));

            var attributes = await stat;

            Assert.Equal(12345, attributes.Length);
            Assert.True(attributes.IsRegularFile);
            Assert.False(attributes.IsDirectory);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), attributes.ModTime);
        }
    }

    [Theory]
    [InlineData((uint)SftpStatusCode.NoSuchFile)]
    [InlineData((uint)SftpStatusCode.PermissionDenied)]
    [InlineData((uint)SftpStatusCode.Failure)]
    [InlineData((uint)SftpStatusCode.OpUnsupported)]
    public async Task StatAsync_ErrorStatus_ThrowsStatusExceptionWithCodeAndMessage(uint value)
    {
        var code = (SftpStatusCode)value;
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var stat = session.StatAsync("/x", CancellationToken.None).AsTask();
            var request = await server.ReceiveAsync();
            await server.SendStatusAsync(request.Id, code, "server says no");

            var e = await Assert.ThrowsAsync<SftpStatusException>(() => stat);

            Assert.Equal(code, e.Code);
            Assert.Equal("server says no", e.ServerMessage);
            Assert.True(session.IsAlive);
        }
    }

    [Fact]
    public async Task RemoveAsync_StatusWithoutMessageFields_IsAccepted()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var remove = session.RemoveAsync("/x", CancellationToken.None).AsTask();
            var request = await server.ReceiveAsync();

            // Some v3 servers send only the code.
            await server.SendAsync(SftpPacketType.Status, request.Id, w => w.U32((uint)SftpStatusCode.NoSuchFile));

            var e = await Assert.ThrowsAsync<SftpStatusException>(() => remove);
            Assert.Equal(SftpStatusCode.NoSuchFile, e.Code);
        }
    }

    [Fact]
    public async Task SendReadAsync_RepliesOutOfOrder_EachLandsInItsOwnDestination()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var destinations = Enumerable.Range(0, 3).Select(_ => new byte[8]).ToArray();
            var requests = new List<SftpRequest>();
            for (var i = 0; i < 3; i++)
            {
                requests.Add(await session.SendReadAsync(Handle, i * 8, destinations[i], CancellationToken.None));
            }

            var received = new List<FakeSftpServer.FakeRequest>();
            for (var i = 0; i < 3; i++)
            {
                received.Add(await server.ReceiveAsync());
            }

            Assert.All(received, r => Assert.Equal(SftpPacketType.Read, r.Type));
            foreach (var r in Enumerable.Reverse(received))
            {
                var handle = r.Body.ReadBytes();
                var offset = r.Body.U64();
                var length = r.Body.U32();
                Assert.Equal("h1"u8.ToArray(), handle);
                Assert.Equal(8u, length);
                await server.SendDataAsync(r.Id, Enumerable.Repeat((byte)(offset / 8 + 1), 8).ToArray());
            }

            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(8, await session.CompleteReadAsync(requests[i]));
                Assert.All(destinations[i], b => Assert.Equal(i + 1, b));
            }
        }
    }

    [Fact]
    public async Task CompleteReadAsync_ShortReplyAndEof_ReturnsCountThenZero()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var destination = new byte[100];
            var first = await session.SendReadAsync(Handle, 0, destination, CancellationToken.None);
            var second = await session.SendReadAsync(Handle, 100, new byte[100], CancellationToken.None);
            var r1 = await server.ReceiveAsync();
            var r2 = await server.ReceiveAsync();
            await server.SendStatusAsync(r2.Id, SftpStatusCode.Eof);
            await server.SendDataAsync(r1.Id, [1, 2, 3]);

            Assert.Equal(3, await session.CompleteReadAsync(first));
            Assert.Equal(0, await session.CompleteReadAsync(second));
            Assert.Equal([1, 2, 3], destination[..3]);
        }
    }

    [Fact]
    public async Task SendWriteAsync_Pipelined_CarriesOffsetAndDataAndAcksOutOfOrder()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var chunk = new byte[1000];
            var writes = new List<SftpRequest>();
            for (var i = 0; i < 10; i++)
            {
                Array.Fill(chunk, (byte)i);
                writes.Add(await session.SendWriteAsync(Handle, i * 1000L, chunk, CancellationToken.None));
            }

            var received = new List<FakeSftpServer.FakeRequest>();
            var file = new byte[10_000];
            for (var i = 0; i < 10; i++)
            {
                var w = await server.ReceiveAsync();
                Assert.Equal(SftpPacketType.Write, w.Type);
                Assert.Equal("h1"u8.ToArray(), w.Body.ReadBytes());
                var offset = (int)w.Body.U64();
                w.Body.ReadBytes().CopyTo(file, offset);
                received.Add(w);
            }

            foreach (var w in Enumerable.Reverse(received))
            {
                await server.SendStatusAsync(w.Id, SftpStatusCode.Ok);
            }

            foreach (var write in writes)
            {
                await session.CompleteStatusAsync(write);
            }

            for (var i = 0; i < 10; i++)
            {
                Assert.All(file[(i * 1000)..((i + 1) * 1000)], b => Assert.Equal(i, b));
            }
        }
    }

    [Fact]
    public async Task CompleteStatusAsync_WriteRefused_ThrowsStatus()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var write = await session.SendWriteAsync(Handle, 0, new byte[10], CancellationToken.None);
            var w = await server.ReceiveAsync();
            await server.SendStatusAsync(w.Id, SftpStatusCode.Failure, "No space left on device");

            var e = await Assert.ThrowsAsync<SftpStatusException>(async () => await session.CompleteStatusAsync(write));

            Assert.Equal(SftpStatusCode.Failure, e.Code);
            Assert.Contains("No space", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadDir_NamesThenEof_ParsesEntriesThenNull()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var first = await session.SendReadDirAsync(Handle, CancellationToken.None);
            var r1 = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.ReadDir, r1.Type);
            await server.SendAsync(SftpPacketType.Name, r1.Id, w => w
                .U32(2)
                .Str("file ü.txt").Str("-rw-r--r-- 1 u g 5 Jan 1 file ü.txt").Attrs(5, 0x81A4, 100)
                .Str("sub").Str("drwxr-xr-x 2 u g 0 Jan 1 sub").Attrs(0, 0x41ED, 200));
            var names = await session.CompleteNamesAsync(first);

            var second = await session.SendReadDirAsync(Handle, CancellationToken.None);
            var r2 = await server.ReceiveAsync();
            await server.SendStatusAsync(r2.Id, SftpStatusCode.Eof);

            Assert.NotNull(names);
            Assert.Equal(["file ü.txt", "sub"], names.Select(n => n.FileName));
            Assert.Equal(5, names[0].Attributes.Length);
            Assert.True(names[1].Attributes.IsDirectory);
            Assert.Null(await session.CompleteNamesAsync(second));
        }
    }

    [Fact]
    public async Task OpenAsync_SendsFlagsAndReturnsHandle()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var open = session.OpenAsync("/f", SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Truncate, CancellationToken.None).AsTask();
            var r = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Open, r.Type);
            Assert.Equal("/f", r.Body.ReadString());
            Assert.Equal(0x1Au, r.Body.U32());
            Assert.Equal(0u, r.Body.U32()); // empty ATTRS
            await server.SendHandleAsync(r.Id, "handle-7");

            var handle = await open;

            Assert.Equal(Encoding.UTF8.GetBytes("handle-7"), handle.Span.ToArray());
        }
    }

    [Fact]
    public async Task Extensions_PosixRenameFsyncStatVfsCopyData_UseTheirWireFormats()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var rename = await session.SendPosixRenameAsync("/a", "/b", CancellationToken.None);
            var r = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Extended, r.Type);
            Assert.Equal((SftpExtensionNames.PosixRename, "/a", "/b"), (r.Body.ReadString(), r.Body.ReadString(), r.Body.ReadString()));
            await server.SendStatusAsync(r.Id, SftpStatusCode.Ok);
            await session.CompleteStatusAsync(rename);

            var fsync = await session.SendFsyncAsync(Handle, CancellationToken.None);
            r = await server.ReceiveAsync();
            Assert.Equal(SftpExtensionNames.Fsync, r.Body.ReadString());
            Assert.Equal("h1"u8.ToArray(), r.Body.ReadBytes());
            await server.SendStatusAsync(r.Id, SftpStatusCode.Ok);
            await session.CompleteStatusAsync(fsync);

            var statvfs = session.StatVfsAsync("/", CancellationToken.None).AsTask();
            r = await server.ReceiveAsync();
            Assert.Equal((SftpExtensionNames.StatVfs, "/"), (r.Body.ReadString(), r.Body.ReadString()));
            await server.SendAsync(SftpPacketType.ExtendedReply, r.Id, w =>
            {
                foreach (var v in new ulong[] { 4096, 4096, 1000, 400, 300, 50, 40, 30, 1, 0, 255 })
                {
                    w.U64(v);
                }
            });
            var v = await statvfs;
            Assert.Equal((4096UL, 1000UL, 400UL, 300UL, 255UL), (v.FragmentSize, v.Blocks, v.FreeBlocks, v.AvailableBlocks, v.NameMax));

            var target = new SftpHandle("h2"u8.ToArray());
            var copy = session.CopyDataAsync(Handle, 5, 0, target, 7, CancellationToken.None).AsTask();
            r = await server.ReceiveAsync();
            Assert.Equal(SftpExtensionNames.CopyData, r.Body.ReadString());
            Assert.Equal(("h1", 5UL, 0UL, "h2", 7UL), (Encoding.UTF8.GetString(r.Body.ReadBytes()), r.Body.U64(), r.Body.U64(), Encoding.UTF8.GetString(r.Body.ReadBytes()), r.Body.U64()));
            await server.SendStatusAsync(r.Id, SftpStatusCode.OpUnsupported);
            var e = await Assert.ThrowsAsync<SftpStatusException>(() => copy);
            Assert.Equal(SftpStatusCode.OpUnsupported, e.Code);
        }
    }
}
