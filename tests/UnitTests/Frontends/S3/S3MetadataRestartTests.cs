using System.Text;
using System.Xml.Linq;
using Amazon.S3.Model;
using VfsGateway.Backends.Local;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.S3;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// Issue 3: metadata, checksums and ETags survive a restart (a new Vfs and frontend over the same
/// storage) on the memory and local backends, and never appear as objects in listings.
/// </summary>
public sealed class S3MetadataRestartTests : IDisposable
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("metadata that must survive");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "s3-meta-" + Guid.NewGuid().ToString("N"));
    private IBackend? _memory;

    public S3MetadataRestartTests() => Directory.CreateDirectory(_root);

    public static TheoryData<string> Backends => new() { "memory", "local", "local-sidecar" };

    public void Dispose()
    {
        _ = _memory?.DisposeAsync().AsTask();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PutObject_AfterRestart_HeadReturnsEverythingStored(string kind)
    {
        var crc = Crc32(Content);
        string etag;
        await using (var first = await StartAsync(kind))
        {
            Assert.Equal(200, (await S3RawClient.SendAsync(first, "PUT", "/bucket")).Status);
            var put = await S3RawClient.SendAsync(first, "PUT", "/bucket/dir/obj.txt", Content, new()
            {
                ["Content-Type"] = "text/x-special",
                ["Cache-Control"] = "max-age=60",
                ["Content-Disposition"] = "attachment; filename=\"a.txt\"",
                ["Content-Encoding"] = "identity",
                ["Content-Language"] = "de",
                ["Expires"] = "Wed, 21 Oct 2037 07:28:00 GMT",
                ["x-amz-meta-color"] = "blue",
                ["x-amz-checksum-crc32"] = crc,
            });
            Assert.Equal(200, put.Status);
            etag = put.Headers.ETag.ToString();
        }

        await using var second = await StartAsync(kind);
        var head = await S3RawClient.SendAsync(second, "HEAD", "/bucket/dir/obj.txt", null, new() { ["x-amz-checksum-mode"] = "ENABLED" });

        Assert.Equal(200, head.Status);
        Assert.Equal("\"" + S3SdkTests.Md5Hex(Content) + "\"", etag);
        Assert.Equal(etag, head.Headers.ETag.ToString());
        Assert.Equal("text/x-special", head.Headers.ContentType.ToString());
        Assert.Equal("max-age=60", head.Headers.CacheControl.ToString());
        Assert.Equal("attachment; filename=\"a.txt\"", head.Headers.ContentDisposition.ToString());
        Assert.Equal("identity", head.Headers.ContentEncoding.ToString());
        Assert.Equal("de", head.Headers.ContentLanguage.ToString());
        Assert.Equal("Wed, 21 Oct 2037 07:28:00 GMT", head.Headers.Expires.ToString());
        Assert.Equal("blue", head.Headers["x-amz-meta-color"].ToString());
        Assert.Equal(crc, head.Headers["x-amz-checksum-crc32"].ToString());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Listings_AfterRestart_ShowMd5ETagsAndNoMetadataObjects(string kind)
    {
        await using (var first = await StartAsync(kind))
        {
            await S3RawClient.SendAsync(first, "PUT", "/bucket");
            await S3RawClient.SendAsync(first, "PUT", "/bucket/a/one", Content, new() { ["x-amz-meta-k"] = "v" });
            await S3RawClient.SendAsync(first, "PUT", "/bucket/two", Content);
        }

        await using var second = await StartAsync(kind);
        var buckets = await S3RawClient.SendAsync(second, "GET", "/");
        var flat = await S3RawClient.SendAsync(second, "GET", "/bucket?list-type=2");
        var delimited = await S3RawClient.SendAsync(second, "GET", "/bucket?list-type=2&delimiter=/");

        Assert.Equal(["bucket"], Values(buckets.Body, "Name"));
        Assert.Equal(["a/one", "two"], Values(flat.Body, "Key"));
        var md5 = "\"" + S3SdkTests.Md5Hex(Content) + "\"";
        Assert.Equal([md5, md5], Values(flat.Body, "ETag"));
        Assert.Equal(["two"], Values(delimited.Body, "Key"));
        Assert.Equal(["a/"], Values(delimited.Body, "Prefix").Where(p => p.Length > 0));
        Assert.DoesNotContain(".gateway-meta", buckets.Body + flat.Body + delimited.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task MultipartAndCopy_AfterRestart_KeepTheirETags(string kind)
    {
        string multipartETag;
        string copyETag;
        await using (var first = await StartAsync(kind))
        {
            using var s3 = first.CreateSdkClient();
            await s3.PutBucketAsync("bucket");
            var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "bucket", Key = "big", ContentType = "application/x-big" });
            var parts = new List<PartETag>();
            var part1 = new byte[5 * 1024 * 1024];
            var part2 = new byte[1000];
            foreach (var (number, data) in new[] { (1, part1), (2, part2) })
            {
                var up = await s3.UploadPartAsync(new UploadPartRequest { BucketName = "bucket", Key = "big", UploadId = init.UploadId, PartNumber = number, InputStream = new MemoryStream(data) });
                parts.Add(new PartETag(number, up.ETag));
            }

            multipartETag = (await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bucket", Key = "big", UploadId = init.UploadId, PartETags = parts })).ETag;
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "src", ContentBody = "copy me", ContentType = "text/plain" });
            copyETag = (await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bucket", SourceKey = "src", DestinationBucket = "bucket", DestinationKey = "dst" })).ETag;
        }

        await using var second = await StartAsync(kind);
        using var client = second.CreateSdkClient();
        var big = await client.GetObjectMetadataAsync("bucket", "big");
        var dst = await client.GetObjectMetadataAsync("bucket", "dst");

        Assert.EndsWith("-2\"", multipartETag, StringComparison.Ordinal);
        Assert.Equal(multipartETag, big.ETag);
        Assert.Equal("application/x-big", big.Headers.ContentType);
        Assert.Equal("\"" + S3SdkTests.Md5Hex("copy me"u8.ToArray()) + "\"", copyETag);
        Assert.Equal(copyETag, dst.ETag);
        Assert.Equal("text/plain", dst.Headers.ContentType);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task DeleteObject_RemovesMetadata_ReputWithoutMetadataHasNone(string kind)
    {
        await using var host = await StartAsync(kind);
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", Content, new() { ["x-amz-meta-k"] = "v", ["Content-Type"] = "text/old" });

        Assert.Equal(204, (await S3RawClient.SendAsync(host, "DELETE", "/bucket/obj")).Status);
        Assert.False(await Exists(host.Vfs, "bucket/obj"));
        await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", Content);
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/obj");

        Assert.Equal(string.Empty, head.Headers["x-amz-meta-k"].ToString());
        Assert.Equal("binary/octet-stream", head.Headers.ContentType.ToString());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PutObject_WritesCacheMode_MetadataTravelsWithThePendingUploadAcrossRestart(string kind)
    {
        var options = new VfsOptions
        {
            CacheMode = VfsCacheMode.Writes,
            CacheDir = Path.Combine(_root, "..", Path.GetFileName(_root) + "-cache"),
            WriteBack = TimeSpan.FromHours(1),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        try
        {
            string etag;
            await using (var first = await StartAsync(kind, options))
            {
                await S3RawClient.SendAsync(first, "PUT", "/bucket");
                var put = await S3RawClient.SendAsync(first, "PUT", "/bucket/obj", Content, new() { ["Content-Type"] = "text/pending", ["x-amz-meta-k"] = "v" });
                etag = put.Headers.ETag.ToString();
                var pending = await S3RawClient.SendAsync(first, "HEAD", "/bucket/obj");
                Assert.Equal(etag, pending.Headers.ETag.ToString());
                Assert.Equal("text/pending", pending.Headers.ContentType.ToString());
                Assert.Equal(1, first.Vfs.CacheStats.DirtyItems);
            }

            // The write waited in the cache through the restart; the next instance uploads it.
            await using var second = await StartAsync(kind, options with { WriteBack = TimeSpan.Zero });
            await second.Vfs.WaitForUploadsAsync(default).WaitAsync(TimeSpan.FromSeconds(60));
            await using var third = await StartAsync(kind);
            var head = await S3RawClient.SendAsync(third, "HEAD", "/bucket/obj");

            Assert.Equal(etag, head.Headers.ETag.ToString());
            Assert.Equal("text/pending", head.Headers.ContentType.ToString());
            Assert.Equal("v", head.Headers["x-amz-meta-k"].ToString());
        }
        finally
        {
            Directory.Delete(options.CacheDir, recursive: true);
        }
    }

    [Fact]
    public async Task HeadObject_RangedGet_OmitsWholeObjectChecksum()
    {
        await using var host = await StartAsync("memory");
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", Content, new() { ["x-amz-checksum-crc32"] = Crc32(Content) });

        var ranged = await S3RawClient.SendAsync(host, "GET", "/bucket/obj", null, new() { ["x-amz-checksum-mode"] = "ENABLED", ["Range"] = "bytes=0-3" });
        var whole = await S3RawClient.SendAsync(host, "GET", "/bucket/obj", null, new() { ["x-amz-checksum-mode"] = "ENABLED" });
        var notAsked = await S3RawClient.SendAsync(host, "GET", "/bucket/obj");

        Assert.Equal(206, ranged.Status);
        Assert.False(ranged.Headers.ContainsKey("x-amz-checksum-crc32"));
        Assert.Equal(Crc32(Content), whole.Headers["x-amz-checksum-crc32"].ToString());
        Assert.False(notAsked.Headers.ContainsKey("x-amz-checksum-crc32"));
    }

    private static async Task<bool> Exists(VirtualFileSystem vfs, string path)
    {
        try
        {
            await vfs.StatAsync(VfsPath.Parse(path), default);
            return true;
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            return false;
        }
    }

    private static List<string> Values(string xml, string name) =>
        [.. XDocument.Parse(xml).Descendants().Where(e => e.Name.LocalName == name).Select(e => e.Value)];

    private static string Crc32(byte[] data)
    {
        using var c = new VfsGateway.Frontends.S3.Checksums.Checksum(ChecksumAlgorithm.Crc32);
        c.Append(data);
        return Convert.ToBase64String(c.GetHashAndReset());
    }

    private Task<S3TestHost> StartAsync(string kind, VfsOptions? vfsOptions = null)
    {
        IBackend backend = kind == "memory"
            ? _memory ??= new MemoryBackend(new MemoryOptions(VfsPath.Root))
            : new LocalBackend(new LocalOptions(_root) { NoXattr = kind == "local-sidecar" });
        return S3TestHost.StartAsync(new S3Options { NoAuth = true }, wrap: _ => new SharedBackend(backend), vfsOptions: vfsOptions);
    }
}
