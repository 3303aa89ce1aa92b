using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>Reads: whole objects and ranges.</summary>
public abstract partial class BackendConformanceTests
{
    [Theory]
    [InlineData(0L, 10L, 0, 10)]
    [InlineData(500L, 100L, 500, 100)]
    [InlineData(990L, null, 990, 10)]
    [InlineData(0L, null, 0, 1000)]
    [InlineData(995L, 100L, 995, 5)]
    [InlineData(999L, 1L, 999, 1)]
    [InlineData(1000L, 10L, 1000, 0)]
    [InlineData(5000L, null, 1000, 0)]
    [InlineData(10L, 0L, 10, 0)]
    public async Task OpenRead_Range_ReturnsClampedSlice(long offset, long? length, int expectedStart, int expectedCount)
    {
        var data = Bytes(1000);
        await PutBytesAsync("ranged", data);

        var slice = await ReadAsync("ranged", new ByteRange(offset, length));

        Assert.Equal(data.AsSpan(expectedStart, expectedCount).ToArray(), slice);
    }

    [Fact]
    public async Task OpenRead_Whole_ReturnsContent()
    {
        var data = Bytes(200_000);
        await PutBytesAsync("whole", data);

        Assert.Equal(data, await ReadAsync("whole"));
    }

    [Fact]
    public async Task OpenRead_RangeOfEmptyFile_IsEmpty()
    {
        await PutBytesAsync("empty", []);

        Assert.Empty(await ReadAsync("empty", new ByteRange(0, 10)));
    }

    [Fact]
    public async Task OpenRead_Missing_ThrowsNotFound()
    {
        await PutBytesAsync("present", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.NotFound, () => ReadAsync("absent"));
        await ThrowsKindAsync(VfsErrorKind.NotFound, () => ReadAsync("no/such/file"));
    }

    [Fact]
    public async Task OpenRead_Directory_ThrowsIsDirectory()
    {
        if (BucketBased)
        {
            return;
        }

        await PutBytesAsync("dir/child", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.IsDirectory, () => ReadAsync("dir"));
    }

    [Fact]
    public async Task OpenRead_ThenOverwrite_OpenReaderStillWorks()
    {
        var first = Bytes(150_000, seed: 1);
        await PutBytesAsync("obj", first);

        var reader = await Backend.OpenReadAsync(P("obj"), null, Ct);
        await using (reader)
        {
            var head = new byte[1000];
            await reader.ReadExactlyAsync(head, Ct);
            await SafeWriter().PutAsync(P("obj"), new MemoryStream(Bytes(150_000, seed: 2)), new PutOptions(150_000), Ct);

            // rclone's semantics: a reader sees one version, not a mix (the old file stays readable
            // after a rename over it; immutable stores serve their snapshot).
            using var rest = new MemoryStream();
            await reader.CopyToAsync(rest, Ct);
            byte[] seen = [.. head, .. rest.ToArray()];
            Assert.Equal(first, seen);
        }

        Assert.Equal(Bytes(150_000, seed: 2), await ReadAsync("obj"));
    }
}
