using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.ConformanceTests;

/// <summary>
/// Backend multipart through <see cref="VirtualFileSystem.Multipart"/>: the object a Complete makes
/// carries Begin's metadata plus the frontend's ETag and checksums (natively or in a sidecar record),
/// the Vfs's path rules apply, and its directory cache learns of the new object.
/// </summary>
public abstract partial class VfsConformanceTests
{
    [ConformanceFact]
    public async Task Multipart_Complete_KeepsBeginMetadataAndTheGivenETagAndChecksums()
    {
        var mp = VfsMultipartOrSkip();
        var begin = new ObjectMetadata
        {
            ContentType = "text/plain",
            Headers = new Dictionary<string, string> { ["Cache-Control"] = "no-cache" },
            UserMetadata = new Dictionary<string, string> { ["owner"] = "me" },
        };
        var given = new ObjectMetadata
        {
            ETag = "\"0123456789abcdef0123456789abcdef-2\"",
            Checksums = new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "AAAAAA==-2" },
        };
        await PutAsync("dir/other", Data(1, 3));
        Assert.Equal(["other"], await NamesAsync("dir"));
        var upload = await mp.BeginAsync(P("dir/obj"), begin, Ct);
        var size1 = Math.Max(70_000, Fixture.MinPartSize);
        var part1 = await mp.PutPartAsync(P("dir/obj"), upload.UploadId, 1, new MemoryStream(Data(size1, 1)), size1, Ct);
        var part2 = await mp.PutPartAsync(P("dir/obj"), upload.UploadId, 2, new MemoryStream(Data(9, 2)), 9, Ct);

        var entry = await mp.CompleteAsync(P("dir/obj"), upload.UploadId, [new(1, part1.ETag), new(2, part2.ETag)], given, Ct);
        var stat = await Vfs.StatAsync(P("dir/obj"), Ct);
        var metadata = await Vfs.GetMetadataAsync(stat, Ct);

        Assert.Equal(size1 + 9, entry.Size);
        Assert.Equal(size1 + 9, stat.Size);
        byte[] expected = [.. Data(size1, 1), .. Data(9, 2)];
        Assert.Equal(expected, await ReadAsync("dir/obj"));

        // The directory listing cached before the Complete was updated with the new object.
        Assert.Equal(["obj", "other"], await NamesAsync("dir"));
        Assert.NotNull(metadata);
        Assert.Equal("text/plain", metadata.ContentType);
        Assert.Equal("no-cache", metadata.Headers["Cache-Control"]);
        Assert.Equal("me", metadata.UserMetadata["owner"]);
        if (Fixture.Supports(UnsupportedFeatures.WriterETags))
        {
            Assert.Equal(given.ETag, metadata.ETag);
            Assert.Equal("AAAAAA==-2", metadata.Checksums["x-amz-checksum-crc32"]);
        }
    }

    [ConformanceFact]
    public async Task Multipart_CompleteWithoutGivenMetadata_KeepsBeginsOnlyAndDropsTheOldVersions()
    {
        var mp = VfsMultipartOrSkip();
        await Vfs.PutAsync(P("obj"), new MemoryStream(Data(10, 1)), new PutOptions(10, ContentType: "old/type"), Ct);
        var upload = await mp.BeginAsync(P("obj"), new ObjectMetadata { ContentType = "new/type" }, Ct);
        var part = await mp.PutPartAsync(P("obj"), upload.UploadId, 1, new MemoryStream(Data(20, 2)), 20, Ct);
        var bare = await mp.BeginAsync(P("bare"), new ObjectMetadata(), Ct);
        var barePart = await mp.PutPartAsync(P("bare"), bare.UploadId, 1, new MemoryStream(Data(5, 3)), 5, Ct);

        await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, part.ETag)], null, Ct);
        await mp.CompleteAsync(P("bare"), bare.UploadId, [new(1, barePart.ETag)], null, Ct);

        var metadata = await Vfs.GetMetadataAsync(await Vfs.StatAsync(P("obj"), Ct), Ct);
        Assert.NotNull(metadata);
        Assert.Equal("new/type", metadata.ContentType);
        if (Fixture.Supports(UnsupportedFeatures.WriterETags))
        {
            Assert.Null(metadata.ETag);
            Assert.Null(await Vfs.GetMetadataAsync(await Vfs.StatAsync(P("bare"), Ct), Ct));
        }
        else
        {
            Assert.NotEqual("new/type", (await Vfs.GetMetadataAsync(await Vfs.StatAsync(P("bare"), Ct), Ct))?.ContentType);
        }
        Assert.Equal(Data(20, 2), await ReadAsync("obj"));
    }

    [ConformanceFact]
    public async Task Multipart_TempName_IsRejected()
    {
        var mp = VfsMultipartOrSkip();

        var e = await Assert.ThrowsAsync<VfsException>(async () => await mp.BeginAsync(TempNames.For(P("dir/obj")), new ObjectMetadata(), Ct));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Empty(await mp.ListUploadsAsync(VfsPath.Root, Ct).ToListAsync(Ct));
    }

    private IMultipartUploads VfsMultipartOrSkip()
    {
        if (!Fixture.Supports(UnsupportedFeatures.Multipart))
        {
            throw new SkipException("the backend stages no multipart uploads");
        }

        return Vfs.Multipart ?? throw new InvalidOperationException("the backend has no IMultipartUploads although the fixture declares it");
    }
}
