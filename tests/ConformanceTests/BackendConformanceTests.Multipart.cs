using System.Security.Cryptography;
using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.ConformanceTests;

/// <summary>
/// The <see cref="IMultipartUploads"/> capability: backend-staged uploads usable from any gateway
/// instance. Skipped for fixtures that declare <see cref="UnsupportedFeatures.Multipart"/>; a backend
/// whose fixture does not declare it must have the capability.
/// </summary>
public abstract partial class BackendConformanceTests
{
    private static readonly ObjectMetadata NoMetadata = new();

    [Fact]
    public void Multipart_Declaration_MatchesFeatures() =>
        Assert.Equal(Fixture.Supports(UnsupportedFeatures.Multipart), Backend.Features.Multipart is not null);

    [ConformanceFact]
    public async Task Multipart_PartsThenComplete_ObjectIsTheirConcatenation()
    {
        var mp = MultipartOrSkip();
        var parts = new[] { Bytes(NonLastPart(5000), seed: 1), Bytes(NonLastPart((2 * 64 * 1024) + 4321), seed: 2), Bytes(10, seed: 3) };
        var upload = await mp.BeginAsync(P("dir/obj"), NoMetadata, Ct);

        // Sent out of order: the listing is still ascending.
        var put3 = await PutPartAsync(mp, "dir/obj", upload.UploadId, 3, parts[2]);
        var put1 = await PutPartAsync(mp, "dir/obj", upload.UploadId, 1, parts[0]);
        var put2 = await PutPartAsync(mp, "dir/obj", upload.UploadId, 2, parts[1]);
        var listed = await mp.ListPartsAsync(P("dir/obj"), upload.UploadId, Ct).ToListAsync(Ct);
        var entry = await mp.CompleteAsync(P("dir/obj"), upload.UploadId, [new(1, put1.ETag), new(2, put2.ETag), new(3, put3.ETag)], null, Ct);

        Assert.Equal([1, 2, 3], listed.Select(p => p.PartNumber));
        Assert.Equal(parts.Select(Md5ETag), listed.Select(p => p.ETag));
        Assert.Equal(parts.Select(p => (long)p.Length), listed.Select(p => p.Size));
        Assert.Equal([Md5ETag(parts[0]), Md5ETag(parts[1]), Md5ETag(parts[2])], new[] { put1.ETag, put2.ETag, put3.ETag });
        byte[] expected = [.. parts[0], .. parts[1], .. parts[2]];
        Assert.Equal(P("dir/obj"), entry.Path);
        Assert.Equal(expected.Length, entry.Size);
        Assert.Equal(expected.Length, (await Backend.StatAsync(P("dir/obj"), Ct)).Size);
        Assert.Equal(expected, await ReadAsync("dir/obj"));
        Assert.Equal(["obj"], (await ListAsync("dir")).Select(e => e.Name));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.GetUploadAsync(P("dir/obj"), upload.UploadId, Ct));
        Assert.DoesNotContain(await mp.ListUploadsAsync(VfsPath.Root, Ct).ToListAsync(Ct), u => u.UploadId == upload.UploadId);
    }

    [ConformanceFact]
    public async Task Multipart_LargePartOfUnknownLength_IsStoredWhole()
    {
        var mp = MultipartOrSkip();
        var data = Bytes((1024 * 1024) + 17, seed: 4);
        var upload = await mp.BeginAsync(P("big"), NoMetadata, Ct);

        var part = await mp.PutPartAsync(P("big"), upload.UploadId, 1, new NonSeekableStream(new MemoryStream(data)), null, Ct);
        var entry = await mp.CompleteAsync(P("big"), upload.UploadId, [new(1, part.ETag)], null, Ct);

        Assert.Equal(data.Length, part.Size);
        Assert.Equal(Md5ETag(data), part.ETag);
        Assert.Equal(data.Length, entry.Size);
        Assert.Equal(data, await ReadAsync("big"));
    }

    [ConformanceFact]
    public async Task Multipart_PartUploadedAgain_ReplacesTheEarlierOne()
    {
        var mp = MultipartOrSkip();
        var upload = await mp.BeginAsync(P("obj"), NoMetadata, Ct);
        var first = await PutPartAsync(mp, "obj", upload.UploadId, 1, Bytes(3000, seed: 1));
        var second = await PutPartAsync(mp, "obj", upload.UploadId, 1, Bytes(2000, seed: 2));

        var listed = Assert.Single(await mp.ListPartsAsync(P("obj"), upload.UploadId, Ct).ToListAsync(Ct));
        await ThrowsKindAsync(VfsErrorKind.Invalid, async () => await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, first.ETag)], null, Ct));
        await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, second.ETag.Trim('"'))], null, Ct);

        Assert.Equal((second.ETag, 2000L), (listed.ETag, listed.Size));
        Assert.Equal(Bytes(2000, seed: 2), await ReadAsync("obj"));
    }

    [ConformanceFact]
    public async Task Multipart_CompleteWithWrongETagOrMissingPart_IsInvalidAndKeepsTheUpload()
    {
        var mp = MultipartOrSkip();
        var upload = await mp.BeginAsync(P("obj"), NoMetadata, Ct);
        var part1 = await PutPartAsync(mp, "obj", upload.UploadId, 1, Bytes(100, seed: 1));
        var wrong = Md5ETag(Bytes(100, seed: 9));

        await ThrowsKindAsync(VfsErrorKind.Invalid, async () => await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, wrong)], null, Ct));
        await ThrowsKindAsync(VfsErrorKind.Invalid, async () => await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, part1.ETag), new(2, part1.ETag)], null, Ct));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("obj"), Ct));
        Assert.Equal([1], (await mp.ListPartsAsync(P("obj"), upload.UploadId, Ct).ToListAsync(Ct)).Select(p => p.PartNumber));
        await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, part1.ETag)], null, Ct);
        Assert.Equal(Bytes(100, seed: 1), await ReadAsync("obj"));
    }

    [ConformanceFact]
    public async Task Multipart_UnknownOrForeignUploadId_IsNotFound()
    {
        var mp = MultipartOrSkip();
        var other = await mp.BeginAsync(P("other"), NoMetadata, Ct);
        var part = await PutPartAsync(mp, "other", other.UploadId, 1, Bytes(10));

        foreach (var id in new[] { "no-such-upload", other.UploadId })
        {
            // The real id of another path's upload is as unknown for "obj" as a made-up one.
            await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await PutPartAsync(mp, "obj", id, 1, Bytes(10)));
            await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.ListPartsAsync(P("obj"), id, Ct).ToListAsync(Ct));
            await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.GetUploadAsync(P("obj"), id, Ct));
            await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.CompleteAsync(P("obj"), id, [new(1, part.ETag)], null, Ct));
            await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.AbortAsync(P("obj"), id, Ct));
        }

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("obj"), Ct));
        Assert.Equal(P("other"), (await mp.GetUploadAsync(P("other"), other.UploadId, Ct)).Path);
    }

    [ConformanceFact]
    public async Task Multipart_Abort_RemovesTheUploadAndItsParts()
    {
        var mp = MultipartOrSkip();
        var upload = await mp.BeginAsync(P("d/obj"), NoMetadata, Ct);
        var part = await PutPartAsync(mp, "d/obj", upload.UploadId, 1, Bytes(1000));
        Assert.Contains(await mp.ListUploadsAsync(P("d"), Ct).ToListAsync(Ct), u => u.UploadId == upload.UploadId);

        await mp.AbortAsync(P("d/obj"), upload.UploadId, Ct);

        Assert.Empty(await mp.ListUploadsAsync(P("d"), Ct).ToListAsync(Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.GetUploadAsync(P("d/obj"), upload.UploadId, Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.ListPartsAsync(P("d/obj"), upload.UploadId, Ct).ToListAsync(Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await PutPartAsync(mp, "d/obj", upload.UploadId, 2, Bytes(10)));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.CompleteAsync(P("d/obj"), upload.UploadId, [new(1, part.ETag)], null, Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.AbortAsync(P("d/obj"), upload.UploadId, Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("d/obj"), Ct));
    }

    [ConformanceFact]
    public async Task Multipart_ListUploads_SeesEveryDepthBelowTheDirOnlyInPathOrder()
    {
        var mp = MultipartOrSkip();
        var metadata = new ObjectMetadata { ContentType = "text/plain", UserMetadata = new Dictionary<string, string> { ["k"] = "v" } };
        var deep = await mp.BeginAsync(P("d/sub/deep/b"), NoMetadata, Ct);
        var first = await mp.BeginAsync(P("d/a"), metadata, Ct);
        var again = await mp.BeginAsync(P("d/a"), NoMetadata, Ct);
        await mp.BeginAsync(P("dx/sibling"), NoMetadata, Ct);
        await mp.BeginAsync(P("other/c"), NoMetadata, Ct);
        await mp.BeginAsync(P("d"), NoMetadata, Ct);

        var below = await mp.ListUploadsAsync(P("d"), Ct).ToListAsync(Ct);
        var all = await mp.ListUploadsAsync(VfsPath.Root, Ct).ToListAsync(Ct);
        var got = await mp.GetUploadAsync(P("d/a"), first.UploadId, Ct);

        Assert.Equal(["d/a", "d/a", "d/sub/deep/b"], below.Select(u => u.Path.Value));
        Assert.Equal(new[] { first.UploadId, again.UploadId }.Order(), below.Take(2).Select(u => u.UploadId).Order());
        Assert.True(below[0].Initiated <= below[1].Initiated);
        Assert.Equal(deep.UploadId, below[2].UploadId);
        Assert.Equal(["d", "d/a", "d/a", "d/sub/deep/b", "dx/sibling", "other/c"], all.Select(u => u.Path.Value));
        Assert.Equal((P("d/a"), first.UploadId), (got.Path, got.UploadId));
        Assert.Equal(first.Initiated, got.Initiated);
        Assert.Empty(await mp.ListUploadsAsync(P("d/sub/deep/b"), Ct).ToListAsync(Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("d/a"), Ct));
    }

    [ConformanceFact]
    public async Task Multipart_CompleteOverExistingObject_ReplacesIt()
    {
        var mp = MultipartOrSkip();
        await PutBytesAsync("obj", Bytes(200_000, seed: 1));
        var upload = await mp.BeginAsync(P("obj"), NoMetadata, Ct);
        var part = await PutPartAsync(mp, "obj", upload.UploadId, 1, Bytes(77, seed: 2));

        // The old object stays readable until the Complete.
        Assert.Equal(Bytes(200_000, seed: 1), await ReadAsync("obj"));
        var entry = await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, part.ETag)], null, Ct);

        Assert.Equal(77, entry.Size);
        Assert.Equal(Bytes(77, seed: 2), await ReadAsync("obj"));
        Assert.Equal(["obj"], (await ListAsync(string.Empty)).Select(e => e.Name));
    }

    [ConformanceFact]
    public async Task Multipart_CompleteOntoDirectoryOrBelowFile_FailsAndKeepsTheUpload()
    {
        var mp = MultipartOrSkip();
        if (BucketBased)
        {
            throw new SkipException("a bucket-based backend has no directories in the way");
        }

        await PutBytesAsync("dir/inner", Bytes(3));
        await PutBytesAsync("file", Bytes(3));
        var onDir = await mp.BeginAsync(P("dir"), NoMetadata, Ct);
        var belowFile = await mp.BeginAsync(P("file/child"), NoMetadata, Ct);
        var part1 = await PutPartAsync(mp, "dir", onDir.UploadId, 1, Bytes(5));
        var part2 = await PutPartAsync(mp, "file/child", belowFile.UploadId, 1, Bytes(5));

        await ThrowsKindAsync(VfsErrorKind.IsDirectory, async () => await mp.CompleteAsync(P("dir"), onDir.UploadId, [new(1, part1.ETag)], null, Ct));
        await ThrowsKindAsync(VfsErrorKind.NotDirectory, async () => await mp.CompleteAsync(P("file/child"), belowFile.UploadId, [new(1, part2.ETag)], null, Ct));

        Assert.Equal(Bytes(3), await ReadAsync("file"));
        Assert.Equal(["inner"], (await ListAsync("dir")).Select(e => e.Name));
        Assert.Equal(2, (await mp.ListUploadsAsync(VfsPath.Root, Ct).ToListAsync(Ct)).Count);
    }

    [ConformanceFact]
    public async Task Multipart_FailingPartStream_LeavesThePreviousPart()
    {
        var mp = MultipartOrSkip();
        var upload = await mp.BeginAsync(P("obj"), NoMetadata, Ct);
        var good = await PutPartAsync(mp, "obj", upload.UploadId, 1, Bytes(4000, seed: 1));
        var failing = new GatedStream(Bytes(70_000, seed: 2), Bytes(10_000, seed: 3));
        failing.Fail();

        await Assert.ThrowsAsync<InjectedFailureException>(async () => await mp.PutPartAsync(P("obj"), upload.UploadId, 1, failing, 80_000, Ct));

        var listed = Assert.Single(await mp.ListPartsAsync(P("obj"), upload.UploadId, Ct).ToListAsync(Ct));
        Assert.Equal((good.ETag, 4000L), (listed.ETag, listed.Size));
        await mp.CompleteAsync(P("obj"), upload.UploadId, [new(1, good.ETag)], null, Ct);
        Assert.Equal(Bytes(4000, seed: 1), await ReadAsync("obj"));
    }

    [ConformanceFact]
    public async Task Multipart_PartsAndCompleteThroughTwoInstances_Work()
    {
        MultipartOrSkip();

        // Two gateway instances: two Vfs objects over two backend instances sharing the storage,
        // or over the one backend when it cannot have a second instance (memory). Not disposed: a
        // Vfs disposes its backend, and this test's backend is disposed by the suite.
        var second = await Fixture.CreateSecondInstanceAsync(SubRoot, Ct);
        try
        {
            var a = new VirtualFileSystem(Backend).Multipart!;
            var b = new VirtualFileSystem(second ?? Backend).Multipart!;
            var upload = await a.BeginAsync(P("x/obj"), NoMetadata, Ct);
            var part1 = await PutPartAsync(a, "x/obj", upload.UploadId, 1, Bytes(NonLastPart(66_000), seed: 1));
            var part2 = await PutPartAsync(b, "x/obj", upload.UploadId, 2, Bytes(500, seed: 2));

            Assert.Equal(upload.UploadId, Assert.Single(await b.ListUploadsAsync(P("x"), Ct).ToListAsync(Ct)).UploadId);
            Assert.Equal([1, 2], (await b.ListPartsAsync(P("x/obj"), upload.UploadId, Ct).ToListAsync(Ct)).Select(p => p.PartNumber));
            Assert.Equal([1, 2], (await a.ListPartsAsync(P("x/obj"), upload.UploadId, Ct).ToListAsync(Ct)).Select(p => p.PartNumber));
            await b.CompleteAsync(P("x/obj"), upload.UploadId, [new(1, part1.ETag), new(2, part2.ETag)], null, Ct);

            byte[] expected = [.. Bytes(NonLastPart(66_000), seed: 1), .. Bytes(500, seed: 2)];
            Assert.Equal(expected, await ReadAsync("x/obj"));
            await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await a.GetUploadAsync(P("x/obj"), upload.UploadId, Ct));
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    /// <summary>The capability, or a skip when the fixture declares it missing (then it must be missing: see the declaration test).</summary>
    [ConformanceFact]
    public async Task Multipart_DirectoryKey_IsAnUploadOfItsOwn_CompletedNextToTheKeysBelow()
    {
        if (!BucketBased || !Fixture.Supports(UnsupportedFeatures.IndependentKeys))
        {
            throw new SkipException("only bucket-based storage holds a directory key (\"dir/\") with content");
        }

        var mp = MultipartOrSkip();
        var dirKey = P("d").AsDirectoryKey();
        await PutBytesAsync("d/x", Bytes(5, seed: 3));
        var upload = await mp.BeginAsync(dirKey, NoMetadata, Ct);
        var namesake = await mp.BeginAsync(P("d"), NoMetadata, Ct);
        var parts = new[] { Bytes(NonLastPart(5000), seed: 1), Bytes(7, seed: 2) };
        var put1 = await PutPartAsync(mp, dirKey, upload.UploadId, 1, parts[0]);
        var put2 = await PutPartAsync(mp, dirKey, upload.UploadId, 2, parts[1]);

        // Each id answers for its own key only, and the listing tells the two keys apart.
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.GetUploadAsync(P("d"), upload.UploadId, Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.GetUploadAsync(dirKey, namesake.UploadId, Ct));
        Assert.Equal([(P("d"), namesake.UploadId), (dirKey, upload.UploadId)], (await mp.ListUploadsAsync(VfsPath.Root, Ct).ToListAsync(Ct)).Select(u => (u.Path, u.UploadId)));
        var got = await mp.GetUploadAsync(dirKey, upload.UploadId, Ct);
        Assert.Equal((dirKey, upload.UploadId), (got.Path, got.UploadId));
        Assert.Equal([1, 2], (await mp.ListPartsAsync(dirKey, upload.UploadId, Ct).ToListAsync(Ct)).Select(p => p.PartNumber));

        var entry = await mp.CompleteAsync(dirKey, upload.UploadId, [new(1, put1.ETag), new(2, put2.ETag)], null, Ct);

        byte[] expected = [.. parts[0], .. parts[1]];
        Assert.Equal((dirKey, (long)expected.Length), (entry.Path, entry.Size));
        Assert.Equal(expected.Length, (await Backend.StatAsync(dirKey, Ct)).Size);
        Assert.Equal(expected, await ReadAsync(Backend.OpenReadAsync(dirKey, null, Ct)));
        var inD = await Backend.ListAsync(P("d"), Ct).ToListAsync(Ct);
        Assert.Equal((long)expected.Length, Assert.Single(inD, e => e.Path.IsDirectoryKey).Size);
        Assert.Equal(["x"], inD.Where(e => !e.Path.IsDirectoryKey).Select(e => e.Name));
        Assert.Equal(Bytes(5, seed: 3), await ReadAsync("d/x"));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await mp.GetUploadAsync(dirKey, upload.UploadId, Ct));
        await mp.AbortAsync(P("d"), namesake.UploadId, Ct);
        Assert.Empty(await mp.ListUploadsAsync(VfsPath.Root, Ct).ToListAsync(Ct));
        await Backend.DeleteAsync(dirKey, Ct);
    }

    private IMultipartUploads MultipartOrSkip()
    {
        if (!Fixture.Supports(UnsupportedFeatures.Multipart))
        {
            throw new SkipException("the backend stages no multipart uploads");
        }

        return Backend.Features.Multipart ?? throw new InvalidOperationException("the fixture declares multipart support but the backend has no IMultipartUploads");
    }

    private Task<UploadedPart> PutPartAsync(IMultipartUploads mp, string path, string uploadId, int partNumber, byte[] data) =>
        PutPartAsync(mp, P(path), uploadId, partNumber, data);

    private async Task<UploadedPart> PutPartAsync(IMultipartUploads mp, VfsPath path, string uploadId, int partNumber, byte[] data)
    {
        using var content = new MemoryStream(data, writable: false);
        return await mp.PutPartAsync(path, uploadId, partNumber, content, data.Length, Ct);
    }

    /// <summary>A non-last part's size: <paramref name="size"/>, or more where the server enforces a minimum.</summary>
    private int NonLastPart(int size) => Math.Max(size, Fixture.MinPartSize);

    /// <summary>The S3 part ETag: the quoted lower-case hex MD5.</summary>
    private static string Md5ETag(byte[] data)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(data);
        return "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "\"";
    }
}
