using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Backends.Local;

public sealed class LocalErrorsTests
{
    private static readonly VfsPath Path = VfsPath.Parse("a/b");

    [Theory]
    [InlineData(28, VfsErrorKind.InsufficientStorage)] // ENOSPC
    [InlineData(122, VfsErrorKind.InsufficientStorage)] // EDQUOT
    [InlineData(39, VfsErrorKind.DirNotEmpty)] // ENOTEMPTY
    [InlineData(20, VfsErrorKind.NotDirectory)] // ENOTDIR
    [InlineData(21, VfsErrorKind.IsDirectory)] // EISDIR
    [InlineData(17, VfsErrorKind.AlreadyExists)] // EEXIST
    [InlineData(30, VfsErrorKind.PermissionDenied)] // EROFS
    [InlineData(4, VfsErrorKind.Transient)] // EINTR
    [InlineData(11, VfsErrorKind.Transient)] // EAGAIN
    public void TryMap_LinuxErrno_GivesKind(int errno, VfsErrorKind expected)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.True(LocalErrors.TryMap(new IOException("x", errno), Path, isDirectoryOperation: false, out var mapped));
        Assert.Equal(expected, mapped.Kind);
        Assert.Equal("a/b", mapped.Path);
    }

    [Fact]
    public void TryMap_EioOrUnknown_IsLeftAlone()
    {
        var eio = new IOException("I/O error", 5);

        Assert.False(LocalErrors.TryMap(eio, Path, isDirectoryOperation: false, out _));
        Assert.Same(eio, LocalErrors.Map(eio, Path));
        Assert.False(LocalErrors.TryMap(new InvalidOperationException(), Path, isDirectoryOperation: false, out _));
    }

    [Fact]
    public void TryMap_DotNetSubclasses_GiveKinds()
    {
        Assert.Equal(VfsErrorKind.NotFound, Kind(new FileNotFoundException(), dir: false));
        Assert.Equal(VfsErrorKind.NotFound, Kind(new DirectoryNotFoundException(), dir: false));
        Assert.Equal(VfsErrorKind.DirNotFound, Kind(new DirectoryNotFoundException(), dir: true));
        Assert.Equal(VfsErrorKind.PermissionDenied, Kind(new UnauthorizedAccessException(), dir: false));
        Assert.Equal(VfsErrorKind.Invalid, Kind(new PathTooLongException(), dir: false));
    }

    private static VfsErrorKind Kind(Exception e, bool dir)
    {
        Assert.True(LocalErrors.TryMap(e, Path, dir, out var mapped));
        return mapped.Kind;
    }
}
