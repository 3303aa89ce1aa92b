using VfsGateway.Backends.Sftp;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.UnitTests.Backends.Sftp.Protocol;

namespace VfsGateway.UnitTests.Backends.Sftp;

/// <summary>The rename used for moves, against servers with and without posix-rename@openssh.com.</summary>
public sealed class SftpBackendRenameTests
{
    [Fact]
    public async Task RenameAsync_PosixRenameOffered_UsesItOnce()
    {
        var (server, session) = await FakeSftpServer.StartAsync((SftpExtensionNames.PosixRename, "1"));
        await using (session)
        await using (server)
        {
            var rename = SftpBackend.RenameAsync(session, "/a", "/b", CancellationToken.None).AsTask();
            var r = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Extended, r.Type);
            Assert.Equal(SftpExtensionNames.PosixRename, r.Body.ReadString());
            await server.SendStatusAsync(r.Id, SftpStatusCode.Ok);

            await rename;
        }
    }

    [Fact]
    public async Task RenameAsync_PlainV3TargetExists_RemovesTargetThenRenames()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var rename = SftpBackend.RenameAsync(session, "/a", "/b", CancellationToken.None).AsTask();
            var first = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Rename, first.Type);
            await server.SendStatusAsync(first.Id, SftpStatusCode.Failure, "file exists");
            var remove = await server.ReceiveAsync();
            Assert.Equal((SftpPacketType.Remove, "/b"), (remove.Type, remove.Body.ReadString()));
            await server.SendStatusAsync(remove.Id, SftpStatusCode.Ok);
            var second = await server.ReceiveAsync();
            Assert.Equal((SftpPacketType.Rename, "/a", "/b"), (second.Type, second.Body.ReadString(), second.Body.ReadString()));
            await server.SendStatusAsync(second.Id, SftpStatusCode.Ok);

            await rename;
        }
    }

    [Fact]
    public async Task RenameAsync_PlainV3FailsForAnotherReason_ReportsTheRenameFailure()
    {
        var (server, session) = await FakeSftpServer.StartAsync();
        await using (session)
        await using (server)
        {
            var rename = SftpBackend.RenameAsync(session, "/a", "/b", CancellationToken.None).AsTask();
            var first = await server.ReceiveAsync();
            await server.SendStatusAsync(first.Id, SftpStatusCode.Failure, "cross-device link");
            var remove = await server.ReceiveAsync();
            await server.SendStatusAsync(remove.Id, SftpStatusCode.NoSuchFile, "no such file");

            var e = await Assert.ThrowsAsync<SftpStatusException>(() => rename);
            Assert.Equal("cross-device link", e.ServerMessage);
        }
    }
}
