using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>Round trips with the real AWS SDK for .NET (AWSSDK.S3 4.x: default integrity checksums, aws-chunked with trailers).</summary>
public sealed class S3SdkTests
{
    private static byte[] RandomBytes(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        return data;
    }

    /// <summary>S3's ETag for single-part objects is the content MD5 (a protocol fact, not a security use).</summary>
    internal static string Md5Hex(byte[] data)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(data);
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response)
    {
        using var ms = new MemoryStream();
        await response.ResponseStream.CopyToAsync(ms);
        return ms.ToArray();
    }

    /// <summary>
    /// Keys with control characters through the SDK's own XML parser, with and without
    /// encoding-type=url: without it the keys come back raw (XML-escaped so that \r survives parsing),
    /// with it URL-encoded.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ListObjects_ControlCharacterKeys_RoundTrip(bool urlEncoding)
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        string[] keys = ["cr\rkey", "line\nbreak", "tab\tkey", "z&<>"];
        foreach (var key in keys)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = key, ContentBody = key });
        }

        var encoding = urlEncoding ? EncodingType.Url : null;
        var v1 = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = "bucket", Encoding = encoding });
        var v2 = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Encoding = encoding });

        // AWSSDK.S3 hands URL-encoded keys to the caller as they came (boto3 decodes them itself).
        Func<string, string> decode = urlEncoding ? Uri.UnescapeDataString : key => key;
        Assert.Equal(keys, v1.S3Objects.Select(o => decode(o.Key)));
        Assert.Equal(keys, v2.S3Objects.Select(o => decode(o.Key)));
        Assert.Equal(urlEncoding, v2.S3Objects.All(o => o.Key.All(c => !char.IsControl(c) && c is not ('&' or '<'))));
        Assert.Equal(urlEncoding ? 2 : 0, host.Requests.Count(q => q.Method == "GET" && q.Target.Contains("encoding-type=url", StringComparison.Ordinal)));
        using var get = await s3.GetObjectAsync("bucket", "line\nbreak");
        Assert.Equal("line\nbreak", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task PutGetHeadDelete_RoundTrip_PreservesContentAndMetadata()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var data = RandomBytes(200_000);

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "bucket",
            Key = "dir/sub/file name ü.bin",
            InputStream = new MemoryStream(data),
            ContentType = "application/x-test",
            Metadata = { ["color"] = "blue" },
        });

        Assert.Equal($"\"{Md5Hex(data)}\"", put.ETag);
        using var get = await s3.GetObjectAsync("bucket", "dir/sub/file name ü.bin");
        Assert.Equal(data, await ReadAllAsync(get));
        Assert.Equal("application/x-test", get.Headers.ContentType);
        Assert.Equal("blue", get.Metadata["color"]);
        Assert.Equal(put.ETag, get.ETag);
        var sent = host.Requests.Single(q => q.Method == "PUT" && q.Target.Contains("file", StringComparison.Ordinal)).Headers;
        Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", sent["x-amz-content-sha256"]);
        Assert.StartsWith("x-amz-checksum-", sent["x-amz-trailer"], StringComparison.Ordinal);

        var head = await s3.GetObjectMetadataAsync("bucket", "dir/sub/file name ü.bin");
        Assert.Equal(data.Length, head.ContentLength);

        await s3.DeleteObjectAsync("bucket", "dir/sub/file name ü.bin");
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("bucket", "dir/sub/file name ü.bin"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task PutObject_EmptyBody_StoresEmptyObject()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "empty", ContentBody = string.Empty });

        var entry = await host.Vfs.StatAsync(VfsPath.Parse("bucket/empty"), CancellationToken.None);
        Assert.Equal(0, entry.Size);
    }

    [Fact]
    public async Task GetObject_Range_ReturnsSlice()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        var data = RandomBytes(10_000);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "k", InputStream = new MemoryStream(data) });

        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "bucket", Key = "k", ByteRange = new Amazon.S3.Model.ByteRange(100, 199) });

        Assert.Equal(data.AsSpan(100, 100).ToArray(), await ReadAllAsync(get));
        Assert.Equal(HttpStatusCode.PartialContent, get.HttpStatusCode);
    }

    [Fact]
    public async Task ListBuckets_AfterCreate_ListsOnlyDirectories()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("alpha");
        await s3.PutBucketAsync("beta");
        await host.Vfs.PutAsync(VfsPath.Parse("rootfile"), new MemoryStream([1]), PutOptions.Default, CancellationToken.None);

        var list = await s3.ListBucketsAsync();

        Assert.Equal(["alpha", "beta"], list.Buckets.Select(b => b.BucketName));
    }

    [Fact]
    public async Task DeleteBucket_NotEmpty_BucketNotEmpty()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "k", ContentBody = "x" });

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync("bucket"));

        Assert.Equal("BucketNotEmpty", e.ErrorCode);
        await s3.DeleteObjectAsync("bucket", "k");
        await s3.DeleteBucketAsync("bucket");
        Assert.Empty((await s3.ListBucketsAsync()).Buckets ?? []);
    }

    [Fact]
    public async Task DeleteObjects_Mixed_ReportsDeleted()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "a", ContentBody = "x" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "b/c", ContentBody = "y" });

        var failure = await Assert.ThrowsAsync<DeleteObjectsException>(() => s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = "bucket",
            Objects = [new KeyVersion { Key = "a" }, new KeyVersion { Key = "b/c" }, new KeyVersion { Key = "missing" }, new KeyVersion { Key = "../escape" }],
        }));
        var result = failure.Response;

        Assert.Equal(["a", "b/c", "missing"], result.DeletedObjects.Select(d => d.Key).Order(StringComparer.Ordinal));
        Assert.Equal("../escape", Assert.Single(result.DeleteErrors).Key);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/a"), CancellationToken.None));
    }

    [Fact]
    public async Task PutObject_MissingBucket_NoSuchBucket()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "nobucket", Key = "k", ContentBody = "x" }));

        Assert.Equal("NoSuchBucket", e.ErrorCode);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("nobucket"), CancellationToken.None));
    }

    [Fact]
    public async Task Request_WrongSecret_SignatureDoesNotMatch()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient(secretKey: "not-the-secret");

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());

        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
    }

    [Fact]
    public async Task PresignedUrl_FromSdk_Works()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "dir/k+y z", ContentBody = "presigned" });

        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "bucket", Key = "dir/k+y z", Expires = DateTime.UtcNow.AddMinutes(5), Verb = HttpVerb.GET });

        using var response = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("presigned", await response.Content.ReadAsStringAsync());
    }
}
