using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using VfsGateway.Frontends.S3;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Checksums;
using Checksum = VfsGateway.Frontends.S3.Checksums.Checksum;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>PostObject: browser form uploads authenticated by a signed POST policy.</summary>
public sealed class S3PostObjectTests
{
    private static async Task<S3TestHost> StartAsync()
    {
        var host = await S3TestHost.StartAsync();
        using var s3 = host.CreateSdkClient();
        await s3.PutBucketAsync("bucket");
        return host;
    }

    /// <summary>The fields a client such as boto3's generate_presigned_post signs, plus the caller's own.</summary>
    private static List<KeyValuePair<string, string>> SignedFields(object[] conditions, DateTimeOffset? expiration = null, string secret = S3TestHost.SecretKey, string accessKey = S3TestHost.AccessKey, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var now = DateTimeOffset.UtcNow;
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var amzDate = now.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        var credential = $"{accessKey}/{date}/us-east-1/s3/aws4_request";
        var all = conditions.Concat(new object[]
        {
            new Dictionary<string, string> { ["x-amz-algorithm"] = SigV4.Algorithm },
            new Dictionary<string, string> { ["x-amz-credential"] = credential },
            new Dictionary<string, string> { ["x-amz-date"] = amzDate },
        }).ToArray();
        var policy = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["expiration"] = (expiration ?? now.AddMinutes(10)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["conditions"] = all,
        }));
        var fields = new List<KeyValuePair<string, string>>(extra ?? [])
        {
            new("x-amz-algorithm", SigV4.Algorithm),
            new("x-amz-credential", credential),
            new("x-amz-date", amzDate),
            new("policy", policy),
            new("x-amz-signature", SigV4.Sign(SigV4.SigningKey(secret, date, "us-east-1", "s3"), policy)),
        };
        return fields;
    }

    private static async Task<HttpResponseMessage> PostAsync(S3TestHost host, IEnumerable<KeyValuePair<string, string>> fields, byte[] file, string fileName = "photo.jpg", bool includeFile = true)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (includeFile)
        {
            form.Add(new ByteArrayContent(file), "file", fileName);
        }

        return await host.Client.PostAsync("/bucket", form);
    }

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response) =>
        System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Code")!.Value;

    [Fact]
    public async Task SignedPolicy_Uploads_WithMetadataAndFilename_204()
    {
        await using var host = await StartAsync();
        var fields = SignedFields(
            [new Dictionary<string, string> { ["bucket"] = "bucket" }, new object[] { "starts-with", "$key", "up/" }, new object[] { "starts-with", "$Content-Type", "image/" },
             new object[] { "eq", "$x-amz-meta-owner", "ann" }, new object[] { "content-length-range", 1, 100 }],
            extra: [new("key", "up/${filename}"), new("Content-Type", "image/jpeg"), new("x-amz-meta-owner", "ann"), new("x-ignore-me", "whatever")]);

        using var response = await PostAsync(host, fields, "jpeg bytes"u8.ToArray());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var s3 = host.CreateSdkClient();
        using var get = await s3.GetObjectAsync("bucket", "up/photo.jpg");
        Assert.Equal(get.ETag, response.Headers.ETag!.Tag);
        Assert.Equal("image/jpeg", get.Headers.ContentType);
        Assert.Equal("ann", get.Metadata["x-amz-meta-owner"]);
        Assert.Equal("jpeg bytes", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task SuccessActionStatus201_AndRedirect303()
    {
        await using var host = await StartAsync();
        var created = SignedFields([new Dictionary<string, string> { ["key"] = "a.txt" }, new Dictionary<string, string> { ["success_action_status"] = "201" }],
            extra: [new("key", "a.txt"), new("success_action_status", "201")]);
        using var r201 = await PostAsync(host, created, "a"u8.ToArray());
        var xml = System.Xml.Linq.XDocument.Parse(await r201.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, r201.StatusCode);
        Assert.Equal("PostResponse", xml.Root!.Name.LocalName);
        Assert.Equal("a.txt", xml.Root.Element("Key")!.Value);
        Assert.Equal("bucket", xml.Root.Element("Bucket")!.Value);
        Assert.EndsWith("/bucket/a.txt", xml.Root.Element("Location")!.Value, StringComparison.Ordinal);

        var redirect = SignedFields([new Dictionary<string, string> { ["key"] = "b c" }, new object[] { "starts-with", "$success_action_redirect", "http://example.test/" }],
            extra: [new("key", "b c"), new("success_action_redirect", "http://example.test/done?x=1")]);
        using var r303 = await PostAsync(host, redirect, "b"u8.ToArray());
        Assert.Equal(HttpStatusCode.SeeOther, r303.StatusCode);
        var location = r303.Headers.Location!.OriginalString;
        Assert.StartsWith("http://example.test/done?x=1&bucket=bucket&key=b%20c&etag=%22", location, StringComparison.Ordinal);
        Assert.NotNull(r303.Headers.ETag);
    }

    [Fact]
    public async Task ContentLengthRange_Violations_AreEntityTooSmallOrLarge_AndStoreNothing()
    {
        await using var host = await StartAsync();
        object[] conditions = [new Dictionary<string, string> { ["key"] = "k" }, new object[] { "content-length-range", 5, 10 }];

        using var small = await PostAsync(host, SignedFields(conditions, extra: [new("key", "k")]), "1234"u8.ToArray());
        using var large = await PostAsync(host, SignedFields(conditions, extra: [new("key", "k")]), new byte[11]);

        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        Assert.Equal("EntityTooSmall", await ErrorCodeAsync(small));
        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        Assert.Equal("EntityTooLarge", await ErrorCodeAsync(large));
        using var s3 = host.CreateSdkClient();
        Assert.Equal(0, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" })).KeyCount ?? 0);
    }

    [Fact]
    public async Task PolicyFailures_Are403WithAwsMessages()
    {
        await using var host = await StartAsync();
        object[] keyOnly = [new Dictionary<string, string> { ["key"] = "k" }];

        using var expired = await PostAsync(host, SignedFields(keyOnly, DateTimeOffset.UtcNow.AddMinutes(-1), extra: [new("key", "k")]), "x"u8.ToArray());
        using var extraField = await PostAsync(host, SignedFields(keyOnly, extra: [new("key", "k"), new("x-amz-meta-sneaky", "1")]), "x"u8.ToArray());
        using var wrongKey = await PostAsync(host, SignedFields(keyOnly, extra: [new("key", "other")]), "x"u8.ToArray());
        var tamperedFields = SignedFields(keyOnly, extra: [new("key", "k")]);
        var policy = tamperedFields.Single(f => f.Key == "policy");
        tamperedFields[tamperedFields.IndexOf(policy)] = new("policy", Convert.ToBase64String(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(policy.Value)).Replace("\"k\"", "\"other\"", StringComparison.Ordinal))));
        using var tampered = await PostAsync(host, tamperedFields, "x"u8.ToArray());
        using var badSecret = await PostAsync(host, SignedFields(keyOnly, secret: "wrong", extra: [new("key", "k")]), "x"u8.ToArray());
        using var unknownKey = await PostAsync(host, SignedFields(keyOnly, accessKey: "AKIDUNKNOWN", extra: [new("key", "k")]), "x"u8.ToArray());
        using var anonymous = await PostAsync(host, [new("key", "k")], "x"u8.ToArray());

        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("Invalid according to Policy: Policy expired.", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, extraField.StatusCode);
        Assert.Contains("Invalid according to Policy: Extra input fields: x-amz-meta-sneaky", await extraField.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Contains("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"k\"]", await wrongKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("SignatureDoesNotMatch", await ErrorCodeAsync(tampered));
        Assert.Equal("SignatureDoesNotMatch", await ErrorCodeAsync(badSecret));
        Assert.Equal("InvalidAccessKeyId", await ErrorCodeAsync(unknownKey));
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal("AccessDenied", await ErrorCodeAsync(anonymous));
        using var s3 = host.CreateSdkClient();
        Assert.Equal(0, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" })).KeyCount ?? 0);
    }

    [Fact]
    public async Task MalformedForms_Are400()
    {
        await using var host = await StartAsync();
        var fields = SignedFields([new Dictionary<string, string> { ["key"] = "k" }], extra: [new("key", "k")]);

        using var noFile = await PostAsync(host, fields, [], includeFile: false);
        using var noKey = await PostAsync(host, SignedFields([]), "x"u8.ToArray());
        using var huge = await PostAsync(host, SignedFields([new Dictionary<string, string> { ["key"] = "k" }], extra: [new("key", "k"), new("x-ignore-pad", new string('p', 21 * 1024))]), "x"u8.ToArray());
        var truncated = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\npartial"u8.ToArray());
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using var cut = await host.Client.PostAsync("/bucket", truncated);

        Assert.Equal("InvalidArgument", await ErrorCodeAsync(noFile));
        Assert.Equal("InvalidArgument", await ErrorCodeAsync(noKey));
        Assert.Equal("MaxPostPreDataLengthExceededError", await ErrorCodeAsync(huge));
        Assert.Equal(HttpStatusCode.Forbidden, cut.StatusCode);
        using var s3 = host.CreateSdkClient();
        Assert.Equal(0, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" })).KeyCount ?? 0);
    }

    [Fact]
    public async Task NoAuth_PolicyOptionalButEnforcedWhenGiven_TruncatedFileStoresNothing()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");

        using var plain = await PostAsync(host, [new("key", "plain"), new("Cache-Control", "no-cache")], "p"u8.ToArray());
        using var limited = await PostAsync(host, SignedFields([new Dictionary<string, string> { ["key"] = "big" }, new object[] { "content-length-range", 0, 1 }], extra: [new("key", "big")]), "too big"u8.ToArray());
        var truncated = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\ncut\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\npartial"u8.ToArray());
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using var cut = await host.Client.PostAsync("/bucket", truncated);

        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        Assert.Equal("no-cache", (await S3RawClient.SendAsync(host, "HEAD", "/bucket/plain")).Headers["Cache-Control"].ToString());
        Assert.Equal("EntityTooLarge", await ErrorCodeAsync(limited));
        Assert.Equal(HttpStatusCode.BadRequest, cut.StatusCode);
        Assert.Equal("MalformedPOSTRequest", await ErrorCodeAsync(cut));
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/cut")).Status);
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/big")).Status);
    }

    [Fact]
    public async Task VirtualHostStyle_PostsToTheHostsBucket()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, ForcePathStyle = false, BaseDomain = "s3.test" });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var form = new MultipartFormDataContent { { new StringContent("dir/k"), "key" }, { new StringContent("201"), "success_action_status" }, { new ByteArrayContent("v"u8.ToArray()), "file", "f" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = form };
        request.Headers.Host = "bucket.s3.test";

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("http://bucket.s3.test/dir/k", xml.Root!.Element("Location")!.Value);
        Assert.Equal(200, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/dir/k")).Status);
    }

    [Fact]
    public async Task TaggingField_StoredAsTheObjectsTags_BadDocumentsStoreNothing()
    {
        await using var host = await StartAsync();
        List<KeyValuePair<string, string>> Fields(string key, string tagging, bool covered = true) => SignedFields(
            covered ? [new Dictionary<string, string> { ["key"] = key }, new object[] { "starts-with", "$tagging", "" }] : [new Dictionary<string, string> { ["key"] = key }],
            extra: [new("key", key), new("tagging", tagging)]);
        const string Tags = "<Tagging><TagSet><Tag><Key>team</Key><Value>web ui</Value></Tag><Tag><Key>tier</Key><Value>1</Value></Tag></TagSet></Tagging>";

        using var tagged = await PostAsync(host, Fields("tagged", Tags), "t"u8.ToArray());
        using var malformed = await PostAsync(host, Fields("malformed", "<Tagging><TagSet>"), "t"u8.ToArray());
        using var notTagging = await PostAsync(host, Fields("other-root", "<Tags/>"), "t"u8.ToArray());
        using var badTag = await PostAsync(host, Fields("bad-tag", "<Tagging><TagSet><Tag><Key>a*b</Key><Value>v</Value></Tag></TagSet></Tagging>"), "t"u8.ToArray());
        using var duplicate = await PostAsync(host, Fields("duplicate", "<Tagging><TagSet><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></TagSet></Tagging>"), "t"u8.ToArray());
        using var uncovered = await PostAsync(host, Fields("uncovered", Tags, covered: false), "t"u8.ToArray());

        Assert.Equal(HttpStatusCode.NoContent, tagged.StatusCode);
        using var s3 = host.CreateSdkClient();
        var stored = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "bucket", Key = "tagged" });
        Assert.Equal([("team", "web ui"), ("tier", "1")], stored.Tagging.Select(t => (t.Key, t.Value)).OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedXML"), (malformed.StatusCode, await ErrorCodeAsync(malformed)));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedXML"), (notTagging.StatusCode, await ErrorCodeAsync(notTagging)));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidTag"), (badTag.StatusCode, await ErrorCodeAsync(badTag)));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidTag"), (duplicate.StatusCode, await ErrorCodeAsync(duplicate)));
        Assert.Equal(HttpStatusCode.Forbidden, uncovered.StatusCode);
        Assert.Contains("Extra input fields: tagging", await uncovered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" })).S3Objects.Select(o => o.Key);
        Assert.Equal(["tagged"], keys);
    }

    [Theory]
    [InlineData("Crc32")]
    [InlineData("Crc32C")]
    [InlineData("Crc64Nvme")]
    [InlineData("Sha1")]
    [InlineData("Sha256")]
    public async Task ChecksumField_VerifiedAgainstTheFile_MismatchIsBadDigestAndStoresNothing(string name)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        await using var host = await StartAsync();
        var field = Checksum.HeaderFor(algorithm);
        var file = Encoding.ASCII.GetBytes("form file for " + name);
        List<KeyValuePair<string, string>> Fields(string key, string checksum) => SignedFields(
            [new Dictionary<string, string> { ["key"] = key }, new object[] { "starts-with", "$" + field, "" }],
            extra: [new("key", key), new(field, checksum)]);

        using var good = await PostAsync(host, Fields("good", S3ObjectTests.ChecksumBase64(file, algorithm)), file);
        using var bad = await PostAsync(host, Fields("bad", S3ObjectTests.ChecksumBase64([.. file, 0], algorithm)), file);
        using var malformed = await PostAsync(host, Fields("malformed", "not base64!"), file);

        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal(S3ObjectTests.ChecksumBase64(file, algorithm), good.Headers.GetValues(field).Single());
        Assert.Equal((HttpStatusCode.BadRequest, "BadDigest"), (bad.StatusCode, await ErrorCodeAsync(bad)));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequest"), (malformed.StatusCode, await ErrorCodeAsync(malformed)));
        using var s3 = host.CreateSdkClient();
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" })).S3Objects.Select(o => o.Key);
        Assert.Equal(["good"], keys);
        var meta = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "bucket", Key = "good", ChecksumMode = Amazon.S3.ChecksumMode.ENABLED });
        var stored = new[] { meta.ChecksumCRC32, meta.ChecksumCRC32C, meta.ChecksumCRC64NVME, meta.ChecksumSHA1, meta.ChecksumSHA256 }.Where(v => v is not null);
        Assert.Equal([S3ObjectTests.ChecksumBase64(file, algorithm)], stored);
    }

    [Fact]
    public async Task ChecksumFields_TwoAlgorithms_InvalidRequest()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var file = "f"u8.ToArray();

        using var both = await PostAsync(host, [new("key", "k"), new("x-amz-checksum-crc32", S3ObjectTests.ChecksumBase64(file, ChecksumAlgorithm.Crc32)), new("x-amz-checksum-sha1", S3ObjectTests.ChecksumBase64(file, ChecksumAlgorithm.Sha1))], file);

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequest"), (both.StatusCode, await ErrorCodeAsync(both)));
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/k")).Status);
    }

    /// <summary>
    /// AWS's POST policy "Condition Matching": a Content-Type with commas is a list for starts-with,
    /// and every value in it must start with the prefix for the condition to hold.
    /// </summary>
    [Theory]
    [InlineData("image/jpeg", true)]
    [InlineData("image/jpeg, image/png", true)]
    [InlineData("image/jpeg,image/png,image/gif", true)]
    [InlineData("image/jpeg, text/plain", false)]
    [InlineData("text/plain,image/jpeg", false)]
    [InlineData("image/jpeg,", false)]
    public async Task ContentTypeStartsWith_CommaSeparatedValues_EachChecked(string contentType, bool allowed)
    {
        await using var host = await StartAsync();
        var fields = SignedFields([new Dictionary<string, string> { ["key"] = "typed" }, new object[] { "starts-with", "$Content-Type", "image/" }],
            extra: [new("key", "typed"), new("Content-Type", contentType)]);

        using var response = await PostAsync(host, fields, "img"u8.ToArray());

        using var s3 = host.CreateSdkClient();
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(contentType, (await s3.GetObjectMetadataAsync("bucket", "typed")).Headers.ContentType);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Policy Condition failed: [\"starts-with\", \"$content-type\", \"image/\"]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(0, (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" })).KeyCount ?? 0);
        }
    }

    [Fact]
    public void PolicyEvaluation_ConditionsAndMalformedDocuments()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["bucket"] = "b", ["Key"] = "u/x", ["content-type"] = "text/plain" };

        var ok = PostPolicy.Evaluate(Encode("""{"expiration":"2026-01-02T00:00:00.000Z","conditions":[{"bucket":"b"},["starts-with","$key","u/"],["STARTS-WITH","$Content-Type",""],["content-length-range",3,7]]}"""), fields, now);
        Assert.Equal((3, 7), (ok.MinLength, ok.MaxLength));
        Assert.Equal("InvalidPolicyDocument", Assert.Throws<S3Exception>(() => PostPolicy.Evaluate("not base64!", fields, now)).Error.Code);
        Assert.Equal("InvalidPolicyDocument", Assert.Throws<S3Exception>(() => PostPolicy.Evaluate(Encode("""{"conditions":[]}"""), fields, now)).Error.Code);
        Assert.Equal("InvalidPolicyDocument", Assert.Throws<S3Exception>(() => PostPolicy.Evaluate(Encode("""{"expiration":"2026-01-02T00:00:00Z","conditions":[["in","$key","u/x"]]}"""), fields, now)).Error.Code);
        Assert.Equal("InvalidPolicyDocument", Assert.Throws<S3Exception>(() => PostPolicy.Evaluate(Encode("""{"expiration":"2026-01-02T00:00:00Z","conditions":[["content-length-range",9,1]]}"""), fields, now)).Error.Code);
        var bucket = Assert.Throws<S3Exception>(() => PostPolicy.Evaluate(Encode("""{"expiration":"2026-01-02T00:00:00Z","conditions":[{"bucket":"other"},["starts-with","$key",""],["starts-with","$content-type",""]]}"""), fields, now));
        Assert.Equal("AccessDenied", bucket.Error.Code);
        var uncovered = Assert.Throws<S3Exception>(() => PostPolicy.Evaluate(Encode("""{"expiration":"2026-01-02T00:00:00Z","conditions":[["starts-with","$key",""]]}"""), fields, now));
        Assert.Equal("Invalid according to Policy: Extra input fields: content-type", uncovered.Message);
    }
}
