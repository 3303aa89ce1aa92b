using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// AWSSDK.S3 4.x over a real socket with its default integrity behaviour: uploads are aws-chunked with a
/// CRC32 trailer (STREAMING-...-PAYLOAD-TRAILER) and downloads are validated against the stored checksum.
/// </summary>
public sealed class AwsSdkTests
{
    [Fact]
    public async Task AwsSdk_DefaultChecksums_PutGetMultipartListCopyDelete()
    {
        using var temp = new TempDir("s3-sdk");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        using var s3 = new AmazonS3Client(
            new BasicAWSCredentials(S3Gateway.AccessKey, S3Gateway.SecretKey),
            new AmazonS3Config { ServiceURL = gateway.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        const string bucket = "sdk-bucket";
        await s3.PutBucketAsync(bucket);

        var small = S3Clients.WriteRandomFile(temp.Sub("small.bin"), 200_000, seed: 41);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dir/small.bin", FilePath = small, ContentType = "application/x-sdk" });
        Assert.Equal($"\"{S3Clients.Md5(small)}\"", put.ETag);
        Assert.False(string.IsNullOrEmpty(put.ChecksumCRC32), "the gateway echoes the verified CRC32 trailer");
        S3Clients.SameFile(small, Path.Combine(gateway.DataDir, bucket, "dir", "small.bin"));

        using (var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "dir/small.bin", ChecksumMode = ChecksumMode.ENABLED }))
        {
            Assert.Equal("application/x-sdk", get.Headers.ContentType);
            Assert.Equal(put.ChecksumCRC32, get.ChecksumCRC32);
            await get.WriteResponseStreamToFileAsync(temp.Sub("small.back"), append: false, CancellationToken.None);
        }

        S3Clients.SameFile(small, temp.Sub("small.back"));

        // TransferUtility: 12 MiB in 5 MiB parts, each part aws-chunked with its own checksum.
        var large = S3Clients.WriteRandomFile(temp.Sub("large.bin"), 12L << 20, seed: 42);
        using (var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = 5L << 20 }))
        {
            await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = "large.bin", FilePath = large, PartSize = 5L << 20 });
            await transfer.DownloadAsync(new TransferUtilityDownloadRequest { BucketName = bucket, Key = "large.bin", FilePath = temp.Sub("large.back") });
        }

        S3Clients.SameFile(large, Path.Combine(gateway.DataDir, bucket, "large.bin"));
        S3Clients.SameFile(large, temp.Sub("large.back"));
        var meta = await s3.GetObjectMetadataAsync(bucket, "large.bin");
        Assert.EndsWith("-3\"", meta.ETag, StringComparison.Ordinal);

        await s3.CopyObjectAsync(bucket, "dir/small.bin", bucket, "copy/small.bin");
        S3Clients.SameFile(small, Path.Combine(gateway.DataDir, bucket, "copy", "small.bin"));

        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["large.bin"], list.S3Objects.Select(o => o.Key));
        Assert.Equal(["copy/", "dir/"], list.CommonPrefixes);

        await s3.DeleteObjectAsync(bucket, "dir/small.bin");
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "dir/small.bin"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(gateway.DataDir, bucket, "dir")));
    }
}
