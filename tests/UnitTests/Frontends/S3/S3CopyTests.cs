using Amazon.S3;
using Amazon.S3.Model;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

public sealed class S3CopyTests
{
    private static async Task<(S3TestHost Host, AmazonS3Client S3)> SetupAsync()
    {
        var host = await S3TestHost.StartAsync();
        var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        await s3.PutBucketAsync("other");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket", Key = "src dir/source", ContentBody = "copy me", ContentType = "text/x-source", Metadata = { ["m"] = "1" } });
        return (host, s3);
    }

    [Fact]
    public async Task CopyObject_DefaultDirective_CopiesContentAndMetadata()
    {
        var (host, s3) = await SetupAsync();
        await using var _ = host;
        using var __ = s3;

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bucket", SourceKey = "src dir/source", DestinationBucket = "other", DestinationKey = "a/copy" });

        var head = await s3.GetObjectMetadataAsync("other", "a/copy");
        Assert.Equal("text/x-source", head.Headers.ContentType);
        Assert.Equal("1", head.Metadata["m"]);
        Assert.Equal(copy.ETag, head.ETag);
        Assert.Equal((await s3.GetObjectMetadataAsync("bucket", "src dir/source")).ETag, copy.ETag);
    }

    [Fact]
    public async Task CopyObject_ReplaceDirective_NewContentType()
    {
        var (host, s3) = await SetupAsync();
        await using var _ = host;
        using var __ = s3;

        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bucket", SourceKey = "src dir/source", DestinationBucket = "bucket", DestinationKey = "src dir/source", MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "text/x-new" });

        var head = await s3.GetObjectMetadataAsync("bucket", "src dir/source");
        Assert.Equal("text/x-new", head.Headers.ContentType);
        Assert.Equal(7, head.ContentLength);
    }

    [Fact]
    public async Task CopyObject_ToItselfWithoutReplace_InvalidRequest()
    {
        var (host, s3) = await SetupAsync();
        await using var _ = host;
        using var __ = s3;

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bucket", SourceKey = "src dir/source", DestinationBucket = "bucket", DestinationKey = "src dir/source" }));

        Assert.Equal("InvalidRequest", e.ErrorCode);
    }

    [Fact]
    public async Task CopyObject_SourceConditionFails_PreconditionFailed()
    {
        var (host, s3) = await SetupAsync();
        await using var _ = host;
        using var __ = s3;

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bucket", SourceKey = "src dir/source", DestinationBucket = "other", DestinationKey = "x", ETagToMatch = "\"nope\"" }));

        Assert.Equal("PreconditionFailed", e.ErrorCode);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("other/x"), CancellationToken.None));
    }

    [Fact]
    public async Task CopyObject_MissingSource_NoSuchKey()
    {
        var (host, s3) = await SetupAsync();
        await using var _ = host;
        using var __ = s3;

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bucket", SourceKey = "missing", DestinationBucket = "other", DestinationKey = "x" }));

        Assert.Equal("NoSuchKey", e.ErrorCode);
    }

    [Theory]
    [InlineData("/bucket/../other/secret")]
    [InlineData("bucket/a/%2E%2E/%2E%2E/other/secret")]
    [InlineData("bucket//secret")]
    public async Task CopyObject_TraversalSource_400(string source)
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        await S3RawClient.SendAsync(host, "PUT", "/other");
        await S3RawClient.SendAsync(host, "PUT", "/other/secret", "s"u8.ToArray());

        var result = await S3RawClient.SendAsync(host, "PUT", "/bucket/stolen", headers: new() { ["x-amz-copy-source"] = source });

        Assert.Equal(400, result.Status);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/stolen"), CancellationToken.None));
    }
}
