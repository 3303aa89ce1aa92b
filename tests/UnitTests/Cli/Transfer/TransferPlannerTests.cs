using VfsGateway.Cli.Transfer;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Cli.Transfer;

public sealed class TransferPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void Plan_EmptyDestination_CopiesEveryFileInPathOrder()
    {
        var plan = TransferPlanner.Plan([File("b", 2), Dir("d"), File("d/x", 1), File("a", 3)], [], deleteExtraneous: false, sizeOnly: false);

        Assert.Equal(["a", "b", "d/x"], plan.Copies.Select(c => c.Path.Value));
        Assert.All(plan.Copies, c => Assert.Equal(FileVerdict.Differ, c.Verdict));
        Assert.Equal(6, plan.BytesToCopy);
        Assert.Empty(plan.Deletes);
    }

    [Fact]
    public void Plan_IdenticalFiles_NothingToCopy()
    {
        var plan = TransferPlanner.Plan([File("a", 3), File("d/x", 1)], [File("a", 3), File("d/x", 1, T0.AddMilliseconds(600))], deleteExtraneous: true, sizeOnly: false);

        Assert.Empty(plan.Copies);
        Assert.Equal(2, plan.Unchanged);
        Assert.Empty(plan.Deletes);
        Assert.Empty(plan.DirectoryDeletes);
    }

    [Fact]
    public void Plan_SizeOrTimeDiffers_Copies()
    {
        var plan = TransferPlanner.Plan([File("size", 3), File("time", 3)], [File("size", 4), File("time", 3, T0.AddSeconds(5))], deleteExtraneous: false, sizeOnly: false);

        Assert.Equal(["size", "time"], plan.Copies.Select(c => c.Path.Value));
        Assert.NotNull(plan.Copies[1].Destination);
    }

    [Fact]
    public void Plan_SizeOnly_IgnoresTimes()
    {
        var plan = TransferPlanner.Plan([File("a", 3)], [File("a", 3, T0.AddHours(1))], deleteExtraneous: false, sizeOnly: true);

        Assert.Empty(plan.Copies);
        Assert.Equal(1, plan.Unchanged);
    }

    [Fact]
    public void Plan_Sync_DeletesExtraFilesAndDirectoriesDeepestFirst()
    {
        var source = new[] { File("keep", 1), File("d/keep", 1) };
        var destination = new[] { File("keep", 1), File("d/keep", 1), File("d/extra", 1), File("gone/deep/f", 1), Dir("gone"), Dir("gone/deep"), Dir("empty") };

        var copy = TransferPlanner.Plan(source, destination, deleteExtraneous: false, sizeOnly: false);
        var sync = TransferPlanner.Plan(source, destination, deleteExtraneous: true, sizeOnly: false);

        Assert.Empty(copy.Deletes);
        Assert.Empty(sync.DeletesFirst);
        Assert.Empty(sync.Copies);
        Assert.Equal(["d/extra", "gone/deep/f"], sync.Deletes.Select(p => p.Value));
        Assert.Equal(["gone/deep", "empty", "gone"], sync.DirectoryDeletes.Select(p => p.Value));
    }

    [Fact]
    public void Plan_Sync_FileWhereSourceHasADirectoryIsDeletedFirst_DirectoryWhereSourceHasAFileIsAConflict()
    {
        var plan = TransferPlanner.Plan([File("x/inner", 1), File("y", 1)], [File("x", 1), File("y/old", 1)], deleteExtraneous: true, sizeOnly: false);

        Assert.Equal(["x/inner"], plan.Copies.Select(c => c.Path.Value));
        Assert.Equal(["y"], plan.Conflicts.Select(p => p.Value));
        Assert.Equal(["x"], plan.DeletesFirst.Select(p => p.Value));
        Assert.Equal(["y/old"], plan.Deletes.Select(p => p.Value));
        Assert.Empty(plan.DirectoryDeletes);
    }

    [Fact]
    public void Plan_BucketListingWithoutDirectoryEntries_KeepsImpliedDirectories()
    {
        var plan = TransferPlanner.Plan([File("a/b/c", 1)], [File("a/b/c", 1), Dir("a"), Dir("a/b")], deleteExtraneous: true, sizeOnly: false);

        Assert.Empty(plan.DirectoryDeletes);
    }

    [Fact]
    public void Compare_BothMd5ETags_DecidesByHashNotTime()
    {
        const string md5 = "\"5d41402abc4b2a76b9719d911017c592\"";
        var source = File("a", 5) with { ETag = md5 };

        Assert.Equal(FileVerdict.Same, TransferPlanner.Compare(source, File("a", 5, T0.AddDays(1)) with { ETag = md5.ToUpperInvariant() }, sizeOnly: false));
        Assert.Equal(FileVerdict.Differ, TransferPlanner.Compare(source, File("a", 5) with { ETag = "\"00000000000000000000000000000000\"" }, sizeOnly: false));
    }

    [Fact]
    public void Compare_TimeDiffersAndOneSideHasMd5_HashesToDecide()
    {
        // S3 stamps objects with their upload time: a local file copied there differs in time only.
        var local = File("a", 5);
        var s3 = File("a", 5, T0.AddMinutes(3)) with { ETag = "\"5d41402abc4b2a76b9719d911017c592\"" };

        Assert.Equal(FileVerdict.CompareHashes, TransferPlanner.Compare(local, s3, sizeOnly: false));
        Assert.Equal(FileVerdict.Same, TransferPlanner.Compare(local, s3 with { ModTime = T0 }, sizeOnly: false));
        Assert.Equal(FileVerdict.Differ, TransferPlanner.Compare(local, s3 with { Size = 6 }, sizeOnly: false));
    }

    [Theory]
    [InlineData("\"5d41402abc4b2a76b9719d911017c592\"", "5d41402abc4b2a76b9719d911017c592")]
    [InlineData("5D41402ABC4B2A76B9719D911017C592", "5d41402abc4b2a76b9719d911017c592")]
    [InlineData("\"5d41402abc4b2a76b9719d911017c592-3\"", null)]
    [InlineData("0x8DC2A7F4B1E0C3D", null)]
    [InlineData("000000000000002a", null)]
    [InlineData(null, null)]
    public void Md5Of_OnlySinglePartS3StyleTags(string? etag, string? expected)
    {
        Assert.Equal(expected, TransferPlanner.Md5Of(File("a", 1) with { ETag = etag }));
    }

    private static Entry File(string path, long size, DateTimeOffset? modTime = null) => Entry.File(VfsPath.Parse(path), size, modTime ?? T0);

    private static Entry Dir(string path) => Entry.Directory(VfsPath.Parse(path));
}
