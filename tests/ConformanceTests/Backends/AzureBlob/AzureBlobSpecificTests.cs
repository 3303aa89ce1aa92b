using Azure;
using VfsGateway.Backends.AzureBlob;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

/// <summary>What the azureblob backend does beyond the shared suite: the account remote, metadata encoding, conditions, startup errors.</summary>
public sealed class AzureBlobSpecificTests(AzureBlobSharedKeyFixture fixture) : IClassFixture<AzureBlobSharedKeyFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Account_ContainersAreTopLevelDirectories()
    {
        var backend = await AzureBlobFixture.Create(string.Empty, fixture.Options(), Ct);
        await using (backend)
        {
            var bucket = "b-" + Guid.NewGuid().ToString("n")[..12];
            await backend.MkdirAsync(VfsPath.Parse(bucket), Ct);
            await backend.PutAsync(VfsPath.Parse(bucket + "/a/b"), new MemoryStream([1, 2, 3]), new PutOptions(3), Ct);

            Assert.Contains(await backend.ListAsync(VfsPath.Root, Ct).ToListAsync(Ct), e => e.Name == bucket && e.IsDirectory);
            Assert.Equal(["a"], (await backend.ListAsync(VfsPath.Parse(bucket), Ct).ToListAsync(Ct)).Select(e => e.Name));
            Assert.True((await backend.StatAsync(VfsPath.Parse(bucket), Ct)).IsDirectory);
            Assert.Equal(VfsErrorKind.DirNotEmpty, (await Assert.ThrowsAsync<VfsException>(async () => await backend.RmdirAsync(VfsPath.Parse(bucket), Ct))).Kind);
            Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await backend.PutAsync(VfsPath.Parse("top-level-file"), new MemoryStream([1]), new PutOptions(1), Ct))).Kind);

            await backend.DeleteAsync(VfsPath.Parse(bucket + "/a/b"), Ct);
            await backend.RmdirAsync(VfsPath.Parse(bucket), Ct);

            Assert.DoesNotContain(await backend.ListAsync(VfsPath.Root, Ct).ToListAsync(Ct), e => e.Name == bucket);
            Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.StatAsync(VfsPath.Parse(bucket), Ct))).Kind);
        }
    }

    [Fact]
    public async Task Metadata_NamesAndValuesAzureRefuses_RoundTrip()
    {
        var backend = await fixture.CreateBackendAsync("meta-" + Guid.NewGuid().ToString("n")[..8], Ct);
        await using (backend)
        {
            var written = new ObjectMetadata
            {
                ContentType = "text/x-test",
                Headers = new Dictionary<string, string> { ["Cache-Control"] = "no-cache", ["Expires"] = "Thu, 01 Dec 2039 16:00:00 GMT" },
                UserMetadata = new Dictionary<string, string> { ["plain"] = "v1", ["with-dash"] = "v2", ["gwetag"] = "mine", ["ünï"] = " välue ", ["9lives"] = "x" },
                ETag = "\"0123456789abcdef0123456789abcdef-2\"",
                Checksums = new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "AAAAAA==" },
            };
            var entry = await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream([1, 2]), new PutOptions(2) { ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(written) }, Ct);

            var read = await backend.Features.Metadata!.GetMetadataAsync(await backend.StatAsync(VfsPath.Parse("obj"), Ct), Ct);

            Assert.NotNull(read);
            Assert.Equal(written.ContentType, read.ContentType);
            Assert.Equal(written.ETag, read.ETag);
            Assert.Equal(written.UserMetadata.OrderBy(kv => kv.Key), read.UserMetadata.OrderBy(kv => kv.Key));
            Assert.Equal(written.Headers.OrderBy(kv => kv.Key), read.Headers.OrderBy(kv => kv.Key));
            Assert.Equal(written.Checksums, read.Checksums);
            Assert.Equal("text/x-test", entry.ContentType);
        }
    }

    [Fact]
    public async Task ConditionalPut_MapsToAzureConditions()
    {
        var backend = await fixture.CreateBackendAsync("cond-" + Guid.NewGuid().ToString("n")[..8], Ct);
        await using (backend)
        {
            Assert.True(backend.Features.ConditionalPut);
            await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream([1]), new PutOptions(1), Ct);
            var md5 = "\"55a54008ad1ba589aa210d2629c1df41\"";

            var exists = await Assert.ThrowsAsync<VfsException>(async () =>
                await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream([2]), new PutOptions(1) { Condition = new PutCondition(IfNoneMatchAny: true) }, Ct));
            var wrong = await Assert.ThrowsAsync<VfsException>(async () =>
                await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream([3]), new PutOptions(1) { Condition = new PutCondition(IfMatch: "\"ffff\"") }, Ct));
            await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream([4]), new PutOptions(1) { Condition = new PutCondition(IfMatch: md5) }, Ct);
            await backend.PutAsync(VfsPath.Parse("new"), new MemoryStream([5]), new PutOptions(1) { Condition = new PutCondition(IfNoneMatchAny: true) }, Ct);

            Assert.Equal(VfsErrorKind.PreconditionFailed, exists.Kind);
            Assert.Equal(VfsErrorKind.PreconditionFailed, wrong.Kind);
            var stream = await backend.OpenReadAsync(VfsPath.Parse("obj"), null, Ct);
            await using (stream)
            {
                Assert.Equal(4, stream.ReadByte());
            }
        }
    }

    [Fact]
    public async Task Startup_WrongKey_IsPermissionDeniedWithoutSecrets()
    {
        var options = fixture.Options();
        options["key"] = Convert.ToBase64String(new byte[64]);

        var e = await Assert.ThrowsAsync<VfsException>(async () => await AzureBlobFixture.Create(AzureBlobFixture.ContainerName, options, Ct));

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("denied", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options["key"], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_MissingContainer_SaysSo()
    {
        var e = await Assert.ThrowsAsync<VfsException>(async () => await AzureBlobFixture.Create("no-such-container/x", fixture.Options(), Ct));

        Assert.Contains("container 'no-such-container' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_UnreachableEndpoint_SaysSo()
    {
        var options = fixture.Options();
        options["endpoint"] = $"http://127.0.0.1:{LoopbackPorts.Free()}/{AzuriteServer.Account}";

        var e = await Assert.ThrowsAsync<VfsException>(async () => await AzureBlobFixture.Create(AzureBlobFixture.ContainerName, options, Ct));

        Assert.StartsWith("azureblob: cannot reach http://127.0.0.1:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("bucket", "")]
    [InlineData("bucket/some/prefix/", "some/prefix")]
    public void Options_Remote_SplitsContainerAndPrefix(string root, string prefix)
    {
        var options = AzureBlobOptions.FromConfig(new(AzureBlobRegistration.Registration, root, new Dictionary<string, string> { ["use_emulator"] = "true" }));

        Assert.Equal(root.Length == 0 ? null : "bucket", options.Container);
        Assert.Equal(prefix, options.Prefix);
        Assert.DoesNotContain(AzureBlobOptions.EmulatorKey, options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("ab")]
    [InlineData("a--b")]
    public void Options_InvalidContainer_IsInvalid(string container) =>
        Assert.Equal(VfsErrorKind.Invalid, Assert.Throws<VfsException>(() =>
            AzureBlobOptions.FromConfig(new(AzureBlobRegistration.Registration, container + "/x", new Dictionary<string, string> { ["use_emulator"] = "true" }))).Kind);

    [Fact]
    public void Errors_ArchivedBlob_IsPermissionDeniedNamingTheTier()
    {
        var e = AzureBlobErrors.Map(new RequestFailedException(409, "This operation is not permitted on an archived blob.", "BlobArchived", null), "x/y");

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("Archive access tier", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, "ServerBusy", VfsErrorKind.Transient)]
    [InlineData(500, "InternalError", VfsErrorKind.Transient)]
    [InlineData(404, "BlobNotFound", VfsErrorKind.NotFound)]
    [InlineData(412, "ConditionNotMet", VfsErrorKind.PreconditionFailed)]
    [InlineData(403, "AuthorizationFailure", VfsErrorKind.PermissionDenied)]
    [InlineData(409, "BlobAlreadyExists", VfsErrorKind.AlreadyExists)]
    public void Errors_StatusAndCode_MapToKinds(int status, string code, VfsErrorKind kind) =>
        Assert.Equal(kind, AzureBlobErrors.Map(new RequestFailedException(status, "x", code, null), "p").Kind);
}
