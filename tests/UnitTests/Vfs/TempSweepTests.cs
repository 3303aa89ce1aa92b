using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

/// <summary>
/// Issue 12 "Crash and fault safety" on the local backend: leftovers of interrupted uploads are swept
/// (only temp names; directories they alone kept alive go too, top-level ones never), a directory
/// holding only temp files can be removed, long names work and errors never show a temp name.
/// </summary>
public sealed class TempSweepTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vfs-sweep-" + Guid.NewGuid().ToString("N"));

    public TempSweepTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task CreateAsync_WithSweep_RemovesLeftoversAndTheDirectoriesOnlyTheyKept()
    {
        Write("bucket/dir/sub/.0123456789abcdef.partial", 100);
        Write("bucket/keep/obj", 1);
        Write("bucket/keep/.obj.0123456789abcdef.partial", 100);
        Write("bucket/.fedcba9876543210.partial", 5);
        Write("bucket/marker/.not-ours.partial", 1);
        Write("top/.0123456789abcdef.partial", 5);
        var options = new VfsOptions { TempSweepInterval = TimeSpan.FromHours(1) };

        await using var vfs = await VirtualFileSystem.CreateAsync(new LocalBackend(new LocalOptions(_root)), options);

        Assert.Equal(
            ["bucket/keep/obj", "bucket/marker/.not-ours.partial"],
            Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f)).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_root, "bucket", "dir")));
        Assert.True(Directory.Exists(Path.Combine(_root, "top")));
    }

    [Fact]
    public async Task CreateAsync_WithoutSweep_LeavesTempFilesAlone()
    {
        Write("b/.0123456789abcdef.partial", 5);

        await using var vfs = await VirtualFileSystem.CreateAsync(new LocalBackend(new LocalOptions(_root)));

        Assert.True(File.Exists(Path.Combine(_root, "b", ".0123456789abcdef.partial")));
    }

    [Fact]
    public async Task SweepAsync_Periodic_LeavesRecentlyWrittenTempFiles()
    {
        Write("b/d/.0123456789abcdef.partial", 5);
        Write("b/d/.1123456789abcdef.partial", 5);
        File.SetLastWriteTimeUtc(Path.Combine(_root, "b", "d", ".1123456789abcdef.partial"), DateTime.UtcNow.AddHours(-7));
        var sweeper = new TempSweeper(new LocalBackend(new LocalOptions(_root)), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(1, await sweeper.SweepAsync(DateTimeOffset.UtcNow.AddHours(-6), default));

        Assert.Equal([".0123456789abcdef.partial"], Directory.EnumerateFiles(Path.Combine(_root, "b", "d")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RmdirAsync_DirectoryHoldingOnlyTempFiles_IsRemoved()
    {
        Write("b/dir/.0123456789abcdef.partial", 5);
        Write("b/full/obj", 1);
        Write("b/full/.0123456789abcdef.partial", 5);
        var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));

        await vfs.RmdirAsync(VfsPath.Parse("b/dir"), default);
        var e = await Assert.ThrowsAsync<VfsException>(async () => await vfs.RmdirAsync(VfsPath.Parse("b/full"), default));

        Assert.False(Directory.Exists(Path.Combine(_root, "b", "dir")));
        Assert.Equal(VfsErrorKind.DirNotEmpty, e.Kind);
        Assert.True(File.Exists(Path.Combine(_root, "b", "full", ".0123456789abcdef.partial")));
    }

    [Theory]
    [InlineData(230)]
    [InlineData(250)]
    [InlineData(255)]
    public async Task PutAsync_LongLastSegment_Works(int length)
    {
        var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));
        var path = VfsPath.Parse("b/" + new string('k', length));

        await vfs.PutAsync(path, new MemoryStream([1, 2, 3]), new PutOptions(3, ContentType: "text/plain"), default);

        Assert.Equal(3, (await vfs.StatAsync(path, default)).Size);
        Assert.Equal("text/plain", (await vfs.GetMetadataAsync(await vfs.StatAsync(path, default), default))?.ContentType);
    }

    [Fact]
    public async Task PutAsync_Failure_ErrorNamesTheObjectNotTheTempFile()
    {
        Write("b/file", 1);
        var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));

        // "b/file" is a file, so nothing can be stored below it.
        var e = await Assert.ThrowsAsync<VfsException>(async () => await vfs.PutAsync(VfsPath.Parse("b/file/obj"), new MemoryStream([1]), new PutOptions(1), default));

        Assert.DoesNotContain(".partial", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", e.Path ?? string.Empty, StringComparison.Ordinal);
    }

    private void Write(string relative, int size)
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new byte[size]);
        File.SetLastWriteTimeUtc(full, DateTime.UtcNow.AddMinutes(-1));
    }
}
