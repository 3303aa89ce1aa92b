using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// Flexible checksums, storage classes, object tagging and GetObjectAttributes with real clients against
/// one gateway over a local directory (metadata in the backend's xattrs/sidecar): aws-cli v2 and v1,
/// Debian's boto3 and AWSSDK.S3.
/// </summary>
public sealed class IntegrityTaggingClientTests(IntegrityTaggingGateway fixture) : IClassFixture<IntegrityTaggingGateway>
{
    private readonly TempDir _temp = fixture.Temp;
    private readonly S3Gateway _gateway = fixture.Gateway;

    private async Task<JsonElement> AwsJsonAsync(string aws, params string[] args)
    {
        var result = await _gateway.Aws(aws).MustAsync([.. args, "--output", "json"]);
        return result.Stdout.Trim().Length == 0 ? default : JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    [Fact]
    public async Task AwsCliV2_PutObjectChecksumStorageClassTagging_RoundTrip()
    {
        var aws = AwsCli.V2;
        await _gateway.Aws(aws).MustAsync("s3api", "create-bucket", "--bucket", "cli-v2");
        var file = S3Clients.WriteRandomFile(_temp.Sub("v2/small.bin"), 100_000, seed: 3);

        var put = await AwsJsonAsync(aws, "s3api", "put-object", "--bucket", "cli-v2", "--key", "k", "--body", file, "--checksum-algorithm", "CRC32C", "--storage-class", "STANDARD_IA", "--tagging", "team=blue&note=two%20words");
        var head = await AwsJsonAsync(aws, "s3api", "head-object", "--bucket", "cli-v2", "--key", "k", "--checksum-mode", "ENABLED");
        await _gateway.Aws(aws).MustAsync("s3api", "put-object-tagging", "--bucket", "cli-v2", "--key", "k", "--tagging", "TagSet=[{Key=env,Value=prod},{Key=tier,Value=1}]");
        var tags = await AwsJsonAsync(aws, "s3api", "get-object-tagging", "--bucket", "cli-v2", "--key", "k");
        var attributes = await AwsJsonAsync(aws, "s3api", "get-object-attributes", "--bucket", "cli-v2", "--key", "k", "--object-attributes", "ETag", "Checksum", "StorageClass", "ObjectSize");
        var bad = await _gateway.Aws(aws).RunAsync(["s3api", "put-object", "--bucket", "cli-v2", "--key", "bad", "--body", file, "--storage-class", "NOT_A_CLASS"]);
        await _gateway.Aws(aws).MustAsync("s3api", "delete-object-tagging", "--bucket", "cli-v2", "--key", "k");
        var cleared = await AwsJsonAsync(aws, "s3api", "get-object-tagging", "--bucket", "cli-v2", "--key", "k");

        var crc = put.GetProperty("ChecksumCRC32C").GetString();
        Assert.False(string.IsNullOrEmpty(crc));
        Assert.Equal(crc, head.GetProperty("ChecksumCRC32C").GetString());
        Assert.Equal("STANDARD_IA", head.GetProperty("StorageClass").GetString());
        Assert.Equal(["env", "tier"], tags.GetProperty("TagSet").EnumerateArray().Select(t => t.GetProperty("Key").GetString()).Order());
        Assert.Equal(crc, attributes.GetProperty("Checksum").GetProperty("ChecksumCRC32C").GetString());
        Assert.Equal("STANDARD_IA", attributes.GetProperty("StorageClass").GetString());
        Assert.Equal(100_000, attributes.GetProperty("ObjectSize").GetInt64());
        Assert.Equal(S3Clients.Md5(file), attributes.GetProperty("ETag").GetString()!.Trim('"'));
        Assert.False(bad.Succeeded);
        Assert.Contains("InvalidStorageClass", bad.Stderr, StringComparison.Ordinal);
        Assert.Empty(cleared.GetProperty("TagSet").EnumerateArray());
        S3Clients.SameFile(file, Path.Combine(_gateway.DataDir, "cli-v2", "k"));
    }

    [Fact]
    public async Task AwsCliV1_CpMultipartWithChecksumAlgorithm_CompositeStoredAndDownloadVerified()
    {
        var aws = AwsCli.V1;
        await _gateway.Aws(aws).MustAsync("s3", "mb", "s3://cli-v1");
        var big = S3Clients.WriteRandomFile(_temp.Sub("v1/big.bin"), 20L << 20, seed: 4);

        // 8 MiB default parts: 3 parts, each with its SHA1, and a composite checksum for the object
        // (CRC32C would need botocore[crt], which pip's aws-cli v1 lacks here).
        await _gateway.Aws(aws).MustAsync("s3", "cp", "--only-show-errors", "--checksum-algorithm", "SHA1", "--storage-class", "GLACIER_IR", big, "s3://cli-v1/big.bin");
        var head = await AwsJsonAsync(aws, "s3api", "head-object", "--bucket", "cli-v1", "--key", "big.bin", "--checksum-mode", "ENABLED");
        var attributes = await AwsJsonAsync(aws, "s3api", "get-object-attributes", "--bucket", "cli-v1", "--key", "big.bin", "--object-attributes", "ObjectParts", "Checksum", "StorageClass");
        var list = await AwsJsonAsync(aws, "s3api", "list-objects-v2", "--bucket", "cli-v1");
        await _gateway.Aws(aws).MustAsync("s3", "cp", "--only-show-errors", "s3://cli-v1/big.bin", _temp.Sub("v1/big.back"));

        Assert.EndsWith("-3", head.GetProperty("ChecksumSHA1").GetString(), StringComparison.Ordinal);
        Assert.Equal("GLACIER_IR", head.GetProperty("StorageClass").GetString());
        Assert.Equal(3, attributes.GetProperty("ObjectParts").GetProperty("TotalPartsCount").GetInt32());
        Assert.Equal("COMPOSITE", attributes.GetProperty("Checksum").GetProperty("ChecksumType").GetString());
        Assert.Equal("GLACIER_IR", attributes.GetProperty("StorageClass").GetString());
        Assert.Equal("GLACIER_IR", Assert.Single(list.GetProperty("Contents").EnumerateArray()).GetProperty("StorageClass").GetString());
        S3Clients.SameFile(big, _temp.Sub("v1/big.back"));
    }

    private const string Boto3Script = """
        import base64, hashlib, sys
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        endpoint, key, secret, path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                          region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))
        B = "boto3-integrity"
        s3.create_bucket(Bucket=B)
        mib = 1024 * 1024
        config = TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib)
        s3.upload_file(path, B, "big.bin", Config=config,
                       ExtraArgs={"ChecksumAlgorithm": "SHA256", "StorageClass": "ONEZONE_IA", "Tagging": "a=1&b=2"})
        head = s3.head_object(Bucket=B, Key="big.bin", ChecksumMode="ENABLED")
        assert head["ChecksumSHA256"].endswith("-3"), head
        assert head["StorageClass"] == "ONEZONE_IA", head
        parts = []
        with open(path, "rb") as f:
            while True:
                chunk = f.read(5 * mib)
                if not chunk:
                    break
                parts.append(hashlib.sha256(chunk).digest())
        composite = base64.b64encode(hashlib.sha256(b"".join(parts)).digest()).decode() + "-3"
        assert head["ChecksumSHA256"] == composite, (head["ChecksumSHA256"], composite)
        print("multipart ok")

        attrs = s3.get_object_attributes(Bucket=B, Key="big.bin", ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"])
        assert attrs["ObjectParts"]["TotalPartsCount"] == 3, attrs
        assert attrs["StorageClass"] == "ONEZONE_IA", attrs
        assert attrs["ObjectSize"] == 12 * mib + 5, attrs
        print("attributes ok")

        tags = s3.get_object_tagging(Bucket=B, Key="big.bin")["TagSet"]
        assert sorted(t["Key"] for t in tags) == ["a", "b"], tags
        s3.put_object_tagging(Bucket=B, Key="big.bin", Tagging={"TagSet": [{"Key": "only", "Value": "one"}]})
        assert s3.get_object_tagging(Bucket=B, Key="big.bin")["TagSet"] == [{"Key": "only", "Value": "one"}]
        try:
            s3.put_object_tagging(Bucket=B, Key="big.bin", Tagging={"TagSet": [{"Key": "k%d" % i, "Value": "v"} for i in range(11)]})
            raise AssertionError("11 tags were accepted")
        except s3.exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidTag", e.response
        s3.copy_object(Bucket=B, Key="big.bin", CopySource={"Bucket": B, "Key": "big.bin"}, StorageClass="STANDARD")
        head = s3.head_object(Bucket=B, Key="big.bin")
        assert "StorageClass" not in head, head
        print("tagging ok")
        """;

    [Fact]
    public async Task Boto3_UploadFileSha256Multipart_TaggingAttributesStorageClass()
    {
        var python = S3Clients.DebianPython;
        var script = _temp.Sub("boto3_integrity.py");
        await File.WriteAllTextAsync(script, Boto3Script);
        var file = S3Clients.WriteRandomFile(_temp.Sub("boto3/big.bin"), (12L << 20) + 5, seed: 5);

        var result = await ProcessRunner.RunAsync(python, [script, _gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey, file], AwsCli.ClientEnvironment(S3Gateway.AccessKey, S3Gateway.SecretKey), timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(["multipart ok", "attributes ok", "tagging ok"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        S3Clients.SameFile(file, Path.Combine(_gateway.DataDir, "boto3-integrity", "big.bin"));
    }

    [Fact]
    public async Task AwsSdk_TransferUtilitySha1_ChecksumAttributesTagging()
    {
        using var s3 = new AmazonS3Client(
            new BasicAWSCredentials(S3Gateway.AccessKey, S3Gateway.SecretKey),
            new AmazonS3Config { ServiceURL = _gateway.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        await s3.PutBucketAsync("sdk-integrity");
        var file = S3Clients.WriteRandomFile(_temp.Sub("sdk/big.bin"), 11L << 20, seed: 6);

        using (var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = 5L << 20 }))
        {
            await transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = "sdk-integrity",
                Key = "big.bin",
                FilePath = file,
                PartSize = 5L << 20,
                // CRC32C would need AWSSDK.Extensions.CrtIntegration; SHA1 is managed code.
                ChecksumAlgorithm = ChecksumAlgorithm.SHA1,
                StorageClass = S3StorageClass.IntelligentTiering,
                TagSet = [new Tag { Key = "k", Value = "v" }],
            });
        }

        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "sdk-integrity", Key = "big.bin", ChecksumMode = ChecksumMode.ENABLED });
        var attributes = await s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = "sdk-integrity",
            Key = "big.bin",
            ObjectAttributes = [ObjectAttributes.ObjectParts, ObjectAttributes.Checksum, ObjectAttributes.StorageClass],
        });
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "sdk-integrity", Key = "big.bin" });
        using (var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "sdk-integrity", Key = "big.bin", ChecksumMode = ChecksumMode.ENABLED }))
        {
            await get.WriteResponseStreamToFileAsync(_temp.Sub("sdk/big.back"), append: false, CancellationToken.None);
        }

        Assert.EndsWith("-3", head.ChecksumSHA1, StringComparison.Ordinal);
        Assert.Equal(S3StorageClass.IntelligentTiering, head.StorageClass);
        Assert.Equal(3, attributes.ObjectParts.TotalPartsCount);
        Assert.Equal(S3StorageClass.IntelligentTiering, attributes.StorageClass);
        Assert.Equal("v", Assert.Single(tags.Tagging).Value);
        S3Clients.SameFile(file, _temp.Sub("sdk/big.back"));
    }
}
