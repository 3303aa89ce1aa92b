using VfsGateway.Backends.Sftp;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Backends.Sftp;

public sealed class SftpErrorsTests
{
    [Theory]
    [InlineData((uint)SftpStatusCode.NoSuchFile, VfsErrorKind.NotFound)]
    [InlineData((uint)SftpStatusCode.PermissionDenied, VfsErrorKind.PermissionDenied)]
    [InlineData((uint)SftpStatusCode.OpUnsupported, VfsErrorKind.NotSupported)]
    [InlineData((uint)SftpStatusCode.BadMessage, VfsErrorKind.Invalid)]
    [InlineData((uint)SftpStatusCode.ConnectionLost, VfsErrorKind.Transient)]
    [InlineData((uint)SftpStatusCode.NoConnection, VfsErrorKind.Transient)]
    [InlineData((uint)SftpStatusCode.Failure, VfsErrorKind.Transient)]
    public void Map_StatusCode_GivesKindAndKeepsPathAndCause(uint code, VfsErrorKind kind)
    {
        var status = new SftpStatusException((SftpStatusCode)code, "server text");

        var e = SftpErrors.Map(status, VfsPath.Parse("a/b"));

        Assert.Equal(kind, e.Kind);
        Assert.Equal("a/b", e.Path);
        Assert.Same(status, e.InnerException);
        Assert.Contains("server text", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_NoSuchFileInDirectoryContext_IsDirNotFound() =>
        Assert.Equal(VfsErrorKind.DirNotFound, SftpErrors.Map(new SftpStatusException(SftpStatusCode.NoSuchFile, ""), VfsPath.Parse("d"), VfsErrorKind.DirNotFound).Kind);

    [Theory]
    [InlineData("Host key verification failed.", VfsErrorKind.PermissionDenied, "host key verification")]
    [InlineData("@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.", VfsErrorKind.PermissionDenied, "host key verification")]
    [InlineData("u@h: Permission denied (publickey,password).", VfsErrorKind.PermissionDenied, "authentication")]
    [InlineData("subsystem request failed on channel 0", VfsErrorKind.NotSupported, "no sftp subsystem")]
    [InlineData("ssh: Could not resolve hostname nas: Name or service not known", VfsErrorKind.Invalid, "cannot connect")]
    [InlineData("ssh: connect to host 127.0.0.1 port 1: Connection refused", VfsErrorKind.Transient, "cannot connect")]
    public void ConnectFailed_SshStderr_ClassifiesAndNamesTheHost(string stderr, VfsErrorKind kind, string phrase)
    {
        var e = SftpErrors.ConnectFailed("u@nas:2222", 255, stderr, null);

        Assert.Equal(kind, e.Kind);
        Assert.Contains(phrase, e.Message, StringComparison.Ordinal);
        Assert.Contains("u@nas:2222", e.Message, StringComparison.Ordinal);
    }
}
