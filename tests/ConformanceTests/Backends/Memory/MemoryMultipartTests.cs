using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.ConformanceTests.Backends.Memory;

/// <summary>What the memory backend's multipart does beyond the conformance suite: its own checks and chunk handling.</summary>
public sealed class MemoryMultipartTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly MemoryBackend _backend = new(new MemoryOptions(VfsPath.Parse("root")));

    private IMultipartUploads Mp => _backend;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    [Fact]
    public void Features_AdvertiseMultipart() => Assert.Same(_backend, _backend.Features.Multipart);

    [Fact]
    public async Task Begin_GivesDistinctUrlSafeIds()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 50; i++)
        {
            ids.Add((await Mp.BeginAsync(P("obj"), new ObjectMetadata(), default)).UploadId);
        }

        Assert.Equal(50, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{16,}$", id));
    }

    [Fact]
    public async Task Begin_OnRoot_IsInvalid() =>
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await Mp.BeginAsync(VfsPath.Root, new ObjectMetadata(), default))).Kind);

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task PutPart_NumberOutOfRange_IsInvalid(int number)
    {
        var upload = await Mp.BeginAsync(P("obj"), new ObjectMetadata(), default);

        var e = await Assert.ThrowsAsync<VfsException>(async () => await Mp.PutPartAsync(P("obj"), upload.UploadId, number, new MemoryStream([1]), 1, default));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public async Task PutPart_ShortContent_IsInvalidAndStoresNothing()
    {
        var upload = await Mp.BeginAsync(P("obj"), new ObjectMetadata(), default);

        var e = await Assert.ThrowsAsync<VfsException>(async () => await Mp.PutPartAsync(P("obj"), upload.UploadId, 1, new MemoryStream(new byte[10]), 11, default));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Empty(await Mp.ListPartsAsync(P("obj"), upload.UploadId, default).ToListAsync());
    }

    [Fact]
    public async Task Complete_PartsNotAscendingOrNone_IsInvalid()
    {
        var upload = await Mp.BeginAsync(P("obj"), new ObjectMetadata(), default);
        var one = await PutPartAsync(upload, 1, Data(10, 1));
        var two = await PutPartAsync(upload, 2, Data(10, 2));

        CompletedPart[][] lists = [[new(2, two.ETag), new(1, one.ETag)], [new(1, one.ETag), new(1, one.ETag)], []];
        foreach (var parts in lists)
        {
            var e = await Assert.ThrowsAsync<VfsException>(async () => await Mp.CompleteAsync(P("obj"), upload.UploadId, parts, null, default));
            Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        }

        Assert.Equal(2, (await Mp.ListPartsAsync(P("obj"), upload.UploadId, default).ToListAsync()).Count);
    }

    [Fact]
    public async Task Complete_PartsOnAndOffChunkBoundaries_AreCopiedExactly()
    {
        var sizes = new[] { MemoryFile.ChunkSize, 1, (2 * MemoryFile.ChunkSize) - 1, MemoryFile.ChunkSize + 1, 0 };
        var upload = await Mp.BeginAsync(P("a/obj"), new ObjectMetadata { ContentType = "x/y" }, default);
        var completed = new List<CompletedPart>();
        var expected = new List<byte>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var data = Data(sizes[i], i);
            completed.Add(new(i + 1, (await PutPartAsync(upload, i + 1, data)).ETag));
            expected.AddRange(data);
        }

        var entry = await Mp.CompleteAsync(P("a/obj"), upload.UploadId, completed, null, default);

        Assert.Equal(expected.Count, entry.Size);
        Assert.Equal("x/y", entry.ContentType);
        var stream = await _backend.OpenReadAsync(P("a/obj"), new ByteRange(MemoryFile.ChunkSize - 2, (2 * MemoryFile.ChunkSize) + 10), default);
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(expected.Skip(MemoryFile.ChunkSize - 2).Take((2 * MemoryFile.ChunkSize) + 10), copy.ToArray());
        }
    }

    [Fact]
    public async Task FaultInjector_SeesMultipartOperations()
    {
        var upload = await Mp.BeginAsync(P("obj"), new ObjectMetadata(), default);
        _backend.FaultInjector = (op, _) => op == "mpput" ? new VfsException(VfsErrorKind.InsufficientStorage, "full") : null;

        var e = await Assert.ThrowsAsync<VfsException>(async () => await PutPartAsync(upload, 1, Data(5, 1)));

        Assert.Equal(VfsErrorKind.InsufficientStorage, e.Kind);
    }

    private static VfsPath P(string path) => VfsPath.Parse(path);

    private static byte[] Data(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private async Task<UploadedPart> PutPartAsync(MultipartUpload upload, int number, byte[] data) =>
        await Mp.PutPartAsync(upload.Path, upload.UploadId, number, new MemoryStream(data), data.Length, default);
}
