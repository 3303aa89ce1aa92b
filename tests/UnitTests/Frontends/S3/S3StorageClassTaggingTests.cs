using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using VfsGateway.Frontends.S3;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>x-amz-storage-class and object tagging: accepted, kept with the metadata, returned where AWS returns them.</summary>
public sealed class S3StorageClassTaggingTests
{
    private static IEnumerable<string> Elements(string xml, string name) =>
        XDocument.Parse(xml).Descendants().Where(e => e.Name.LocalName == name).Select(e => e.Value);

    private static async Task<S3TestHost> StartAsync(bool backendMultipart = false)
    {
        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: backendMultipart);
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        return host;
    }

    [Fact]
    public async Task StorageClass_StoredReturnedListedValidated()
    {
        await using var host = await StartAsync();

        var glacier = await S3RawClient.SendAsync(host, "PUT", "/bucket/cold", "x"u8.ToArray(), new() { ["x-amz-storage-class"] = "GLACIER" });
        var standard = await S3RawClient.SendAsync(host, "PUT", "/bucket/warm", "x"u8.ToArray(), new() { ["x-amz-storage-class"] = "STANDARD" });
        var unknown = await S3RawClient.SendAsync(host, "PUT", "/bucket/bad", "x"u8.ToArray(), new() { ["x-amz-storage-class"] = "standard" });

        Assert.Equal(200, glacier.Status);
        Assert.Equal(200, standard.Status);
        Assert.Equal(400, unknown.Status);
        Assert.Contains("<Code>InvalidStorageClass</Code>", unknown.Body);
        Assert.Equal("GLACIER", (await S3RawClient.SendAsync(host, "HEAD", "/bucket/cold")).Headers["x-amz-storage-class"].ToString());
        Assert.Equal("GLACIER", (await S3RawClient.SendAsync(host, "GET", "/bucket/cold")).Headers["x-amz-storage-class"].ToString());
        Assert.False((await S3RawClient.SendAsync(host, "HEAD", "/bucket/warm")).Headers.ContainsKey("x-amz-storage-class"));
        var list = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2");
        Assert.Equal(["GLACIER", "STANDARD"], Elements(list.Body, "StorageClass"));
        var listV1 = await S3RawClient.SendAsync(host, "GET", "/bucket");
        Assert.Equal(["GLACIER", "STANDARD"], Elements(listV1.Body, "StorageClass"));
    }

    [Fact]
    public async Task CopyObject_OntoItself_LegalOnlyWhenStorageClassOrMetadataChanges()
    {
        await using var host = await StartAsync();
        await S3RawClient.SendAsync(host, "PUT", "/bucket/k", "data"u8.ToArray(), new() { ["x-amz-meta-a"] = "1", ["x-amz-tagging"] = "t=1" });

        var same = await S3RawClient.SendAsync(host, "PUT", "/bucket/k", null, new() { ["x-amz-copy-source"] = "/bucket/k" });
        var cls = await S3RawClient.SendAsync(host, "PUT", "/bucket/k", null, new() { ["x-amz-copy-source"] = "/bucket/k", ["x-amz-storage-class"] = "STANDARD_IA" });

        Assert.Equal(400, same.Status);
        Assert.Contains("<Code>InvalidRequest</Code>", same.Body);
        Assert.Equal(200, cls.Status);
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/k");
        Assert.Equal("STANDARD_IA", head.Headers["x-amz-storage-class"].ToString());
        Assert.Equal("1", head.Headers["x-amz-meta-a"].ToString());
        Assert.Equal("1", head.Headers["x-amz-tagging-count"].ToString());
        Assert.Equal("data", (await S3RawClient.SendAsync(host, "GET", "/bucket/k")).Body);

        // A copy to another key gets the class the request names (STANDARD when none) and, by default, the source's tags.
        var copy = await S3RawClient.SendAsync(host, "PUT", "/bucket/k2", null, new() { ["x-amz-copy-source"] = "/bucket/k" });
        var replaced = await S3RawClient.SendAsync(host, "PUT", "/bucket/k3", null, new() { ["x-amz-copy-source"] = "/bucket/k", ["x-amz-tagging-directive"] = "REPLACE", ["x-amz-tagging"] = "x=1&y=2", ["x-amz-storage-class"] = "ONEZONE_IA" });
        Assert.Equal(200, copy.Status);
        Assert.Equal(200, replaced.Status);
        var copyHead = await S3RawClient.SendAsync(host, "HEAD", "/bucket/k2");
        Assert.False(copyHead.Headers.ContainsKey("x-amz-storage-class"));
        Assert.Equal("1", copyHead.Headers["x-amz-tagging-count"].ToString());
        var replacedHead = await S3RawClient.SendAsync(host, "HEAD", "/bucket/k3");
        Assert.Equal("ONEZONE_IA", replacedHead.Headers["x-amz-storage-class"].ToString());
        Assert.Equal("2", replacedHead.Headers["x-amz-tagging-count"].ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Multipart_StorageClassAndTags_ListedAndKept(bool backendMultipart)
    {
        await using var host = await StartAsync(backendMultipart);
        var init = await S3RawClient.SendAsync(host, "POST", "/bucket/mp?uploads", headers: new() { ["x-amz-storage-class"] = "DEEP_ARCHIVE", ["x-amz-tagging"] = "project=blue&owner=a%20b" });
        var id = Elements(init.Body, "UploadId").Single();
        var part = await S3RawClient.SendAsync(host, "PUT", $"/bucket/mp?partNumber=1&uploadId={id}", "abc"u8.ToArray());

        var uploads = await S3RawClient.SendAsync(host, "GET", "/bucket?uploads");
        var parts = await S3RawClient.SendAsync(host, "GET", $"/bucket/mp?uploadId={id}");
        var complete = await S3RawClient.SendAsync(host, "POST", $"/bucket/mp?uploadId={id}", Encoding.UTF8.GetBytes($"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{part.Headers.ETag}</ETag></Part></CompleteMultipartUpload>"));

        Assert.Equal(["DEEP_ARCHIVE"], Elements(uploads.Body, "StorageClass"));
        Assert.Equal(["DEEP_ARCHIVE"], Elements(parts.Body, "StorageClass"));
        Assert.Equal(200, complete.Status);
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/mp");
        Assert.Equal("DEEP_ARCHIVE", head.Headers["x-amz-storage-class"].ToString());
        Assert.Equal("2", head.Headers["x-amz-tagging-count"].ToString());
        var tagging = await S3RawClient.SendAsync(host, "GET", "/bucket/mp?tagging");
        Assert.Equal(["owner", "project"], Elements(tagging.Body, "Key").Order());
        Assert.Contains("a b", Elements(tagging.Body, "Value"));
    }

    [Fact]
    public async Task ObjectTagging_PutGetDelete_KeptWithMetadata()
    {
        await using var host = await StartAsync();
        var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/k", "data"u8.ToArray(), new() { ["x-amz-tagging"] = "a=1&b=two%20words", ["x-amz-meta-m"] = "v" });
        Assert.Equal(200, put.Status);
        Assert.Equal("2", (await S3RawClient.SendAsync(host, "HEAD", "/bucket/k")).Headers["x-amz-tagging-count"].ToString());
        var got = await S3RawClient.SendAsync(host, "GET", "/bucket/k?tagging");
        Assert.Equal(["a", "b"], Elements(got.Body, "Key"));
        Assert.Equal(["1", "two words"], Elements(got.Body, "Value"));

        var document = "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>env</Key><Value>prod</Value></Tag></TagSet></Tagging>"u8.ToArray();
        var replaced = await S3RawClient.SendAsync(host, "PUT", "/bucket/k?tagging", document);
        Assert.Equal(200, replaced.Status);
        Assert.Equal(["env"], Elements((await S3RawClient.SendAsync(host, "GET", "/bucket/k?tagging")).Body, "Key"));
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/k");
        Assert.Equal("1", head.Headers["x-amz-tagging-count"].ToString());
        Assert.Equal("v", head.Headers["x-amz-meta-m"].ToString());
        Assert.Equal(put.Headers.ETag.ToString(), head.Headers.ETag.ToString());

        var deleted = await S3RawClient.SendAsync(host, "DELETE", "/bucket/k?tagging");
        Assert.Equal(204, deleted.Status);
        Assert.False((await S3RawClient.SendAsync(host, "HEAD", "/bucket/k")).Headers.ContainsKey("x-amz-tagging-count"));
        Assert.Empty(Elements((await S3RawClient.SendAsync(host, "GET", "/bucket/k?tagging")).Body, "Tag"));
        Assert.Equal("data", (await S3RawClient.SendAsync(host, "GET", "/bucket/k")).Body);
        var missing = await S3RawClient.SendAsync(host, "GET", "/bucket/nothing?tagging");
        Assert.Contains("<Code>NoSuchKey</Code>", missing.Body);
    }

    [Theory]
    [InlineData("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11")]
    [InlineData("a=1&a=2")]
    [InlineData("=empty-key")]
    [InlineData("bad*key=1")]
    public async Task Tagging_OverLimitsOrInvalid_InvalidTag(string tagging)
    {
        await using var host = await StartAsync();

        var result = await S3RawClient.SendAsync(host, "PUT", "/bucket/k", "x"u8.ToArray(), new() { ["x-amz-tagging"] = tagging });

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>InvalidTag</Code>", result.Body);
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/k")).Status);
    }

    [Fact]
    public async Task PutObjectTagging_LongKeyOrValue_InvalidTag()
    {
        await using var host = await StartAsync();
        await S3RawClient.SendAsync(host, "PUT", "/bucket/k", "x"u8.ToArray());
        string Doc(string key, string value) => $"<Tagging><TagSet><Tag><Key>{key}</Key><Value>{value}</Value></Tag></TagSet></Tagging>";

        var longKey = await S3RawClient.SendAsync(host, "PUT", "/bucket/k?tagging", Encoding.UTF8.GetBytes(Doc(new string('k', 129), "v")));
        var longValue = await S3RawClient.SendAsync(host, "PUT", "/bucket/k?tagging", Encoding.UTF8.GetBytes(Doc("k", new string('v', 257))));
        var atLimit = await S3RawClient.SendAsync(host, "PUT", "/bucket/k?tagging", Encoding.UTF8.GetBytes(Doc(new string('k', 128), new string('v', 256))));

        Assert.Contains("<Code>InvalidTag</Code>", longKey.Body);
        Assert.Contains("<Code>InvalidTag</Code>", longValue.Body);
        Assert.Equal(200, atLimit.Status);
    }

    [Fact]
    public async Task Sdk_TaggingStorageClassAttributesChecksums()
    {
        await using var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");

        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "bucket",
            Key = "k",
            ContentBody = "hello",
            StorageClass = S3StorageClass.StandardInfrequentAccess,
            TagSet = [new Tag { Key = "a", Value = "1" }],
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        });
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = "bucket", Key = "k", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "b", Value = "2" }] } });
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "bucket", Key = "k" });
        var attributes = await s3.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = "bucket",
            Key = "k",
            ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.Checksum, ObjectAttributes.StorageClass, ObjectAttributes.ObjectSize],
        });
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "bucket", Key = "k", ChecksumMode = ChecksumMode.ENABLED });
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" });

        Assert.Equal(["a", "b"], tags.Tagging.Select(t => t.Key).Order());
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, attributes.StorageClass);
        Assert.Equal(5, attributes.ObjectSize);
        Assert.False(string.IsNullOrEmpty(attributes.Checksum.ChecksumSHA256));
        Assert.Equal(attributes.Checksum.ChecksumSHA256, head.ChecksumSHA256);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, Assert.Single(list.S3Objects).StorageClass);
        await s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = "bucket", Key = "k" });
        Assert.Empty((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "bucket", Key = "k" })).Tagging ?? []);
    }
}
