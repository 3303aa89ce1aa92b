using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

public sealed class S3MultipartTests
{
    private const int MiB = 1024 * 1024;

    private static byte[] RandomBytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<byte[]> GetAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var ms = new MemoryStream();
        await response.ResponseStream.CopyToAsync(ms);
        return ms.ToArray();
    }

    private static async Task<(string UploadId, List<PartETag> Parts, byte[] Data)> UploadPartsAsync(AmazonS3Client s3, params int[] sizes)
    {
        var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "bucket", Key = "big/object", ContentType = "application/x-big" });
        var parts = new List<PartETag>();
        var all = new MemoryStream();
        for (var i = 0; i < sizes.Length; i++)
        {
            var data = RandomBytes(sizes[i], i + 1);
            all.Write(data);
            var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = "bucket", Key = "big/object", UploadId = init.UploadId, PartNumber = i + 1, InputStream = new MemoryStream(data) });
            Assert.Equal($"\"{S3SdkTests.Md5Hex(data)}\"", part.ETag);
            parts.Add(new PartETag(i + 1, part.ETag));
        }

        return (init.UploadId, parts, all.ToArray());
    }

    [Fact]
    public async Task Multipart_CreateUploadListComplete_ObjectIsConcatenation()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var (uploadId, parts, data) = await UploadPartsAsync(s3, 5 * MiB, 5 * MiB, 1000);

        // Parts live on disk under the cache directory until Complete.
        Assert.Equal(3, Directory.EnumerateFiles(Path.Combine(host.CacheDir, uploadId), "*.part").Count());
        var listed = await s3.ListPartsAsync(new ListPartsRequest { BucketName = "bucket", Key = "big/object", UploadId = uploadId });
        Assert.Equal([1, 2, 3], listed.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal([5L * MiB, 5L * MiB, 1000L], listed.Parts.Select(p => p.Size ?? 0));
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = "bucket" });
        Assert.Equal(uploadId, Assert.Single(uploads.MultipartUploads).UploadId);

        var complete = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bucket", Key = "big/object", UploadId = uploadId, PartETags = parts });

        Assert.EndsWith("-3\"", complete.ETag, StringComparison.Ordinal);
        Assert.Equal(data, await GetAsync(s3, "bucket", "big/object"));
        var head = await s3.GetObjectMetadataAsync("bucket", "big/object");
        Assert.Equal("application/x-big", head.Headers.ContentType);
        Assert.Equal(complete.ETag, head.ETag);
        Assert.False(Directory.Exists(Path.Combine(host.CacheDir, uploadId)));
    }

    [Fact]
    public async Task Multipart_TransferUtility_RoundTrip()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var data = RandomBytes(17 * MiB + 123, 7);
        using var transfer = new TransferUtility(s3);

        await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = "bucket", Key = "t/u", InputStream = new MemoryStream(data), PartSize = 5 * MiB });

        Assert.Equal(data, await GetAsync(s3, "bucket", "t/u"));
        Assert.Contains(host.Requests, q => q.Target.Contains("uploadId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Complete_WrongETag_InvalidPart()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var (uploadId, parts, _) = await UploadPartsAsync(s3, 5 * MiB, 10);
        parts[1] = new PartETag(2, "\"00000000000000000000000000000000\"");

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bucket", Key = "big/object", UploadId = uploadId, PartETags = parts }));

        Assert.Equal("InvalidPart", e.ErrorCode);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/big/object"), CancellationToken.None));
    }

    [Fact]
    public async Task Complete_SmallMiddlePart_EntityTooSmall()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var (uploadId, parts, _) = await UploadPartsAsync(s3, 100, 100);

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bucket", Key = "big/object", UploadId = uploadId, PartETags = parts }));

        Assert.Equal("EntityTooSmall", e.ErrorCode);
    }

    [Fact]
    public async Task Complete_PartsOutOfOrder_InvalidPartOrder()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var init = await S3RawClient.SendAsync(host, "POST", "/bucket/k?uploads");
        var uploadId = System.Xml.Linq.XDocument.Parse(init.Body).Root!.Elements().Single(e => e.Name.LocalName == "UploadId").Value;
        var p1 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/k?partNumber=1&uploadId={uploadId}", new byte[10]);
        var p2 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/k?partNumber=2&uploadId={uploadId}", new byte[10]);
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>{p2.Headers.ETag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>{p1.Headers.ETag}</ETag></Part></CompleteMultipartUpload>";

        var result = await S3RawClient.SendAsync(host, "POST", $"/bucket/k?uploadId={uploadId}", System.Text.Encoding.UTF8.GetBytes(xml));
        var malformed = await S3RawClient.SendAsync(host, "POST", $"/bucket/k?uploadId={uploadId}", "<CompleteMultipartUpload><Part>"u8.ToArray());

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>InvalidPartOrder</Code>", result.Body);
        Assert.Contains("<Code>MalformedXML</Code>", malformed.Body);
    }

    [Theory]
    [InlineData("../../../../etc")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public async Task UploadPart_UnknownUploadId_NoSuchUpload(string uploadId)
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");

        var result = await S3RawClient.SendAsync(host, "PUT", $"/bucket/k?partNumber=1&uploadId={Uri.EscapeDataString(uploadId)}", new byte[10]);

        Assert.Equal(404, result.Status);
        Assert.Contains("<Code>NoSuchUpload</Code>", result.Body);
    }

    [Fact]
    public async Task Abort_RemovesStagingAndUpload()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var (uploadId, _, _) = await UploadPartsAsync(s3, 10);

        await s3.AbortMultipartUploadAsync("bucket", "big/object", uploadId);

        Assert.False(Directory.Exists(Path.Combine(host.CacheDir, uploadId)));
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = "bucket", Key = "big/object", UploadId = uploadId }));
        Assert.Equal("NoSuchUpload", e.ErrorCode);
    }

    [Fact]
    public async Task UploadPartCopy_WithRange_CopiesSlice()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var source = RandomBytes(6 * MiB, 3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "src", InputStream = new MemoryStream(source) });
        var init = await s3.InitiateMultipartUploadAsync("bucket", "dst");

        var first = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = "bucket", SourceKey = "src", DestinationBucket = "bucket", DestinationKey = "dst", UploadId = init.UploadId, PartNumber = 1, FirstByte = 0, LastByte = (5 * MiB) - 1 });
        var second = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = "bucket", SourceKey = "src", DestinationBucket = "bucket", DestinationKey = "dst", UploadId = init.UploadId, PartNumber = 2, FirstByte = 5 * MiB, LastByte = (6 * MiB) - 1 });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bucket", Key = "dst", UploadId = init.UploadId, PartETags = [new PartETag(1, first.ETag), new PartETag(2, second.ETag)] });

        Assert.Equal(source, await GetAsync(s3, "bucket", "dst"));
    }

    [Fact]
    public async Task StartAsync_ExpiredUpload_Removed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, time);
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var init = await S3RawClient.SendAsync(host, "POST", "/bucket/k?uploads");
        var uploadId = System.Xml.Linq.XDocument.Parse(init.Body).Root!.Elements().Single(e => e.Name.LocalName == "UploadId").Value;

        var soon = new S3Frontend(host.Vfs, new S3Options { NoAuth = true, CacheDir = host.CacheDir }, NullLoggerFactory.Instance, new FakeTimeProvider(time.GetUtcNow().AddHours(23)));
        await soon.StartAsync(CancellationToken.None);
        Assert.True(Directory.Exists(Path.Combine(host.CacheDir, uploadId)));

        var later = new S3Frontend(host.Vfs, new S3Options { NoAuth = true, CacheDir = host.CacheDir }, NullLoggerFactory.Instance, new FakeTimeProvider(time.GetUtcNow().AddHours(25)));
        await later.StartAsync(CancellationToken.None);
        Assert.False(Directory.Exists(Path.Combine(host.CacheDir, uploadId)));
    }

    private static async Task<(S3TestHost Host, CountingBackend Backend, string Xml)> SlowCompleteSetupAsync()
    {
        CountingBackend? backend = null;
        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, wrap: b => backend = new CountingBackend(b), completeKeepAlive: TimeSpan.FromMilliseconds(40));
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var init = await S3RawClient.SendAsync(host, "POST", "/bucket/k?uploads");
        var uploadId = System.Xml.Linq.XDocument.Parse(init.Body).Root!.Elements().Single(e => e.Name.LocalName == "UploadId").Value;
        var part = await S3RawClient.SendAsync(host, "PUT", $"/bucket/k?partNumber=1&uploadId={uploadId}", RandomBytes(1000, 9));
        backend!.PutDelay = TimeSpan.FromMilliseconds(300);
        return (host, backend, $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{part.Headers.ETag}</ETag></Part></CompleteMultipartUpload>|{uploadId}");
    }

    [Fact]
    public async Task Complete_SlowStorage_KeepsAliveThenResult()
    {
        var (host, _, xmlAndId) = await SlowCompleteSetupAsync();
        await using var _ = host;
        var (xml, uploadId) = (xmlAndId.Split('|')[0], xmlAndId.Split('|')[1]);

        var result = await S3RawClient.SendAsync(host, "POST", $"/bucket/k?uploadId={uploadId}", System.Text.Encoding.UTF8.GetBytes(xml));

        Assert.Equal(200, result.Status);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n ", result.Body, StringComparison.Ordinal);
        var doc = System.Xml.Linq.XDocument.Parse(result.Body);
        Assert.Equal("CompleteMultipartUploadResult", doc.Root!.Name.LocalName);
        Assert.Equal(1000, (await host.Vfs.StatAsync(VfsPath.Parse("bucket/k"), CancellationToken.None)).Size);
    }

    [Fact]
    public async Task Complete_SlowStorageFails_ErrorDocumentInside200()
    {
        var (host, backend, xmlAndId) = await SlowCompleteSetupAsync();
        await using var _ = host;
        var (xml, uploadId) = (xmlAndId.Split('|')[0], xmlAndId.Split('|')[1]);
        backend.PutFailure = new VfsException(VfsErrorKind.InsufficientStorage, "disk full");

        var result = await S3RawClient.SendAsync(host, "POST", $"/bucket/k?uploadId={uploadId}", System.Text.Encoding.UTF8.GetBytes(xml));

        Assert.Equal(200, result.Status);
        var doc = System.Xml.Linq.XDocument.Parse(result.Body);
        Assert.Equal("Error", doc.Root!.Name.LocalName);
        Assert.Equal("InsufficientStorage", doc.Root.Element("Code")!.Value);
        Assert.True(Directory.Exists(Path.Combine(host.CacheDir, uploadId)));
    }

    [Fact]
    public async Task Complete_SlowStorageFailsWithSdk_Throws()
    {
        var (host, backend, xmlAndId) = await SlowCompleteSetupAsync();
        await using var _ = host;
        var uploadId = xmlAndId.Split('|')[1];
        var etag = System.Text.RegularExpressions.Regex.Match(xmlAndId, "<ETag>(.*)</ETag>").Groups[1].Value;
        backend.PutFailure = new VfsException(VfsErrorKind.InsufficientStorage, "disk full");
        using var s3 = host.CreateSdkClient();

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = "bucket", Key = "k", UploadId = uploadId, PartETags = [new PartETag(1, etag)] }));

        Assert.Equal("InsufficientStorage", e.ErrorCode);
    }
}
