using System.Security.Cryptography;
using System.Text;
using VfsGateway.Frontends.S3;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>GetObject/PutObject edge cases with hand-made requests: digests, checksums, aws-chunked, ranges, conditions.</summary>
public sealed class S3ObjectTests
{
    private static readonly byte[] Original = Encoding.ASCII.GetBytes("original content");

    private static async Task<S3TestHost> HostWithObjectAsync()
    {
        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        var put = await S3RawClient.SendAsync(host, "PUT", "/bucket");
        Assert.Equal(200, put.Status);
        var obj = await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", Original);
        Assert.Equal(200, obj.Status);
        return host;
    }

    private static async Task<byte[]> StoredAsync(S3TestHost host, string path)
    {
        await using var stream = await host.Vfs.OpenReadAsync(VfsPath.Parse(path), null, CancellationToken.None);
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms);
        return ms.ToArray();
    }

    /// <summary>The base64 x-amz-checksum-* value of <paramref name="data"/>.</summary>
    internal static string ChecksumBase64(byte[] data, ChecksumAlgorithm algorithm = ChecksumAlgorithm.Crc32)
    {
        using var c = new Checksum(algorithm);
        c.Append(data);
        return Convert.ToBase64String(c.GetHashAndReset());
    }

    [Fact]
    public async Task PutObject_WrongHexSha256_MismatchAndPreviousKept()
    {
        await using var host = await HostWithObjectAsync();

        var result = await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", "new"u8.ToArray(), new() { ["x-amz-content-sha256"] = TestSigner.Sha256("other"u8.ToArray()) });

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>XAmzContentSHA256Mismatch</Code>", result.Body);
        Assert.Equal(Original, await StoredAsync(host, "bucket/obj"));
    }

    [Fact]
    public async Task PutObject_RightHexSha256_Stored()
    {
        await using var host = await HostWithObjectAsync();
        var data = "new"u8.ToArray();

        var result = await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", data, new() { ["x-amz-content-sha256"] = TestSigner.Sha256(data) });

        Assert.Equal(200, result.Status);
        Assert.Equal(data, await StoredAsync(host, "bucket/obj"));
        Assert.Equal($"\"{S3SdkTests.Md5Hex(data)}\"", result.Headers.ETag.ToString());
    }

    [Fact]
    public async Task PutObject_WrongContentMd5_BadDigestAndNothingStored()
    {
        await using var host = await HostWithObjectAsync();

        var wrong = await S3RawClient.SendAsync(host, "PUT", "/bucket/new", "data"u8.ToArray(), new() { ["Content-MD5"] = Convert.ToBase64String(new byte[16]) });
        var invalid = await S3RawClient.SendAsync(host, "PUT", "/bucket/new", "data"u8.ToArray(), new() { ["Content-MD5"] = "notbase64!" });

        Assert.Equal(400, wrong.Status);
        Assert.Contains("<Code>BadDigest</Code>", wrong.Body);
        Assert.Contains("<Code>InvalidDigest</Code>", invalid.Body);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/new"), CancellationToken.None));
    }

    [Theory]
    [InlineData("Crc32")]
    [InlineData("Crc32C")]
    [InlineData("Crc64Nvme")]
    [InlineData("Sha1")]
    [InlineData("Sha256")]
    public async Task PutObject_ChecksumHeader_VerifiedAndEchoed(string name)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        await using var host = await HostWithObjectAsync();
        var data = Encoding.ASCII.GetBytes("checksummed " + name);
        var header = Checksum.HeaderFor(algorithm);

        var ok = await S3RawClient.SendAsync(host, "PUT", "/bucket/good", data, new() { [header] = ChecksumBase64(data, algorithm) });
        var bad = await S3RawClient.SendAsync(host, "PUT", "/bucket/bad", data, new() { [header] = ChecksumBase64([.. data, 0], algorithm) });

        Assert.Equal(200, ok.Status);
        Assert.Equal(ChecksumBase64(data, algorithm), ok.Headers[header].ToString());
        Assert.Equal(400, bad.Status);
        Assert.Contains("<Code>BadDigest</Code>", bad.Body);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/bad"), CancellationToken.None));
    }

    [Fact]
    public async Task PutObject_UnsignedTrailerChunked_DecodesAndVerifiesTrailer()
    {
        await using var host = await HostWithObjectAsync();
        var data = new byte[100_000];
        new Random(1).NextBytes(data);
        Dictionary<string, string> Headers() => new()
        {
            ["x-amz-content-sha256"] = "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            ["Content-Encoding"] = "aws-chunked",
            ["x-amz-decoded-content-length"] = data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["x-amz-trailer"] = "x-amz-checksum-crc32c",
        };

        var good = await S3RawClient.SendAsync(host, "PUT", "/bucket/chunked", S3RawClient.UnsignedChunked(data, 8192, ("x-amz-checksum-crc32c", ChecksumBase64(data, ChecksumAlgorithm.Crc32C))), Headers());
        var bad = await S3RawClient.SendAsync(host, "PUT", "/bucket/chunked2", S3RawClient.UnsignedChunked(data, 8192, ("x-amz-checksum-crc32c", ChecksumBase64(data))), Headers());
        var missing = await S3RawClient.SendAsync(host, "PUT", "/bucket/chunked3", S3RawClient.UnsignedChunked(data, 8192), Headers());

        Assert.Equal(200, good.Status);
        Assert.Equal(data, await StoredAsync(host, "bucket/chunked"));
        Assert.Equal(400, bad.Status);
        Assert.Contains("<Code>BadDigest</Code>", bad.Body);
        Assert.Equal(400, missing.Status);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/chunked2"), CancellationToken.None));
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/chunked3"), CancellationToken.None));
    }

    [Fact]
    public async Task PutObject_ChunkedLongerThanDecodedLength_RejectedNothingStored()
    {
        await using var host = await HostWithObjectAsync();
        var data = new byte[1000];

        var result = await S3RawClient.SendAsync(host, "PUT", "/bucket/long", S3RawClient.UnsignedChunked(data, 300), new()
        {
            ["x-amz-content-sha256"] = "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            ["x-amz-decoded-content-length"] = "999",
        });

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>IncompleteBody</Code>", result.Body);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/long"), CancellationToken.None));
    }

    [Theory]
    [InlineData("bytes=0-3", 206, "orig", "bytes 0-3/16")]
    [InlineData("bytes=9-", 206, "content", "bytes 9-15/16")]
    [InlineData("bytes=-7", 206, "content", "bytes 9-15/16")]
    [InlineData("bytes=10-1000", 206, "ontent", "bytes 10-15/16")]
    [InlineData("bytes=-100", 206, "original content", "bytes 0-15/16")]
    [InlineData("bytes=5-2", 200, "original content", "")]
    [InlineData("items=0-1", 200, "original content", "")]
    public async Task GetObject_Range_SliceAndContentRange(string range, int status, string body, string contentRange)
    {
        await using var host = await HostWithObjectAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket/obj", headers: new() { ["Range"] = range });

        Assert.Equal(status, result.Status);
        Assert.Equal(body, result.Body);
        Assert.Equal(contentRange, result.Headers.ContentRange.ToString());
        Assert.Equal(body.Length, result.Headers.ContentLength);
    }

    [Theory]
    [InlineData("bytes=16-")]
    [InlineData("bytes=100-200")]
    [InlineData("bytes=-0")]
    public async Task GetObject_RangeOutOfBounds_416InvalidRange(string range)
    {
        await using var host = await HostWithObjectAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket/obj", headers: new() { ["Range"] = range });

        Assert.Equal(416, result.Status);
        Assert.Contains("<Code>InvalidRange</Code>", result.Body);
        Assert.Equal("bytes */16", result.Headers.ContentRange.ToString());
    }

    [Fact]
    public async Task GetObject_Conditions_304And412()
    {
        await using var host = await HostWithObjectAsync();
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/obj");
        var etag = head.Headers.ETag.ToString();
        var lastModified = DateTimeOffset.Parse(head.Headers.LastModified.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        async Task<int> StatusWith(string name, string value) => (await S3RawClient.SendAsync(host, "GET", "/bucket/obj", headers: new() { [name] = value })).Status;
        string Http(DateTimeOffset t) => t.ToString("r", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(200, await StatusWith("If-Match", etag));
        Assert.Equal(412, await StatusWith("If-Match", "\"other\""));
        Assert.Equal(304, await StatusWith("If-None-Match", etag));
        Assert.Equal(200, await StatusWith("If-None-Match", "\"other\""));
        Assert.Equal(304, await StatusWith("If-Modified-Since", Http(lastModified)));
        Assert.Equal(200, await StatusWith("If-Modified-Since", Http(lastModified.AddHours(-1))));
        Assert.Equal(412, await StatusWith("If-Unmodified-Since", Http(lastModified.AddHours(-1))));
        Assert.Equal(200, await StatusWith("If-Unmodified-Since", Http(lastModified)));

        // S3: a true If-Match wins over a false If-Unmodified-Since.
        var both = await S3RawClient.SendAsync(host, "GET", "/bucket/obj", headers: new() { ["If-Match"] = etag, ["If-Unmodified-Since"] = Http(lastModified.AddHours(-1)) });
        Assert.Equal(200, both.Status);
    }

    [Fact]
    public async Task GetObject_ResponseOverrides_ReplaceHeaders()
    {
        await using var host = await HostWithObjectAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket/obj?response-content-type=text%2Fplain&response-content-disposition=attachment%3B%20filename%3Dx.txt&response-cache-control=no-cache");

        Assert.Equal(200, result.Status);
        Assert.Equal("text/plain", result.Headers.ContentType.ToString());
        Assert.Equal("attachment; filename=x.txt", result.Headers.ContentDisposition.ToString());
        Assert.Equal("no-cache", result.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task HeadObject_Headers_Rfc1123AndQuotedEtag()
    {
        await using var host = await HostWithObjectAsync();

        var result = await S3RawClient.SendAsync(host, "HEAD", "/bucket/obj");

        Assert.Equal(200, result.Status);
        Assert.Equal(16, result.Headers.ContentLength);
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$", result.Headers.LastModified.ToString());
        Assert.Equal($"\"{S3SdkTests.Md5Hex(Original)}\"", result.Headers.ETag.ToString());
        Assert.Empty(result.Bytes);
    }

    [Fact]
    public async Task HeadObject_Missing_404WithoutBody()
    {
        await using var host = await HostWithObjectAsync();

        var missingKey = await S3RawClient.SendAsync(host, "HEAD", "/bucket/nothing");
        var directory = await S3RawClient.SendAsync(host, "GET", "/bucket");
        var missingBucket = await S3RawClient.SendAsync(host, "HEAD", "/nobucket/obj");

        Assert.Equal(404, missingKey.Status);
        Assert.Empty(missingKey.Bytes);
        Assert.Equal(200, directory.Status);
        Assert.Equal(404, missingBucket.Status);
    }

    [Fact]
    public async Task PutObject_IfNoneMatchStar_RefusesOverwrite()
    {
        await using var host = await HostWithObjectAsync();

        var existing = await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", "x"u8.ToArray(), new() { ["If-None-Match"] = "*" });
        var fresh = await S3RawClient.SendAsync(host, "PUT", "/bucket/fresh", "x"u8.ToArray(), new() { ["If-None-Match"] = "*" });

        Assert.Equal(412, existing.Status);
        Assert.Equal(Original, await StoredAsync(host, "bucket/obj"));
        Assert.Equal(200, fresh.Status);
    }

    [Fact]
    public async Task DirectoryMarker_PutListDelete_BehavesLikeEmptyFolder()
    {
        await using var host = await HostWithObjectAsync();

        var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/folder/", []);
        var list = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&prefix=folder");
        var delete = await S3RawClient.SendAsync(host, "DELETE", "/bucket/folder/");

        Assert.Equal(200, put.Status);
        Assert.Contains("<Key>folder/</Key>", list.Body);
        Assert.Equal(204, delete.Status);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/folder"), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteObject_LastInDirectory_PrunesEmptyParents()
    {
        await using var host = await HostWithObjectAsync();
        await S3RawClient.SendAsync(host, "PUT", "/bucket/x/y/z", [1]);

        var delete = await S3RawClient.SendAsync(host, "DELETE", "/bucket/x/y/z");
        var again = await S3RawClient.SendAsync(host, "DELETE", "/bucket/x/y/z");

        Assert.Equal(204, delete.Status);
        Assert.Equal(204, again.Status);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/x"), CancellationToken.None));
        Assert.True((await host.Vfs.StatAsync(VfsPath.Parse("bucket"), CancellationToken.None)).IsDirectory);
    }

    [Fact]
    public async Task DeleteObject_LastInDirectoryWithNoCleanup_KeepsEmptyParents()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, NoCleanup = true });
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);
        await S3RawClient.SendAsync(host, "PUT", "/bucket/x/y/z", [1]);

        var delete = await S3RawClient.SendAsync(host, "DELETE", "/bucket/x/y/z");

        Assert.Equal(204, delete.Status);
        Assert.True((await host.Vfs.StatAsync(VfsPath.Parse("bucket/x/y"), CancellationToken.None)).IsDirectory);
    }

    [Fact]
    public async Task SignedPut_WrongPayloadHashWithTestSigner_MismatchNotStored()
    {
        await using var host = await S3TestHost.StartAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);
        var data = "payload"u8.ToArray();
        using var request = TestSigner.Sign(HttpMethod.Put, "/bucket/k", null, data, DateTimeOffset.UtcNow, Convert.ToHexStringLower(SHA256.HashData("different"u8)));

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("XAmzContentSHA256Mismatch", await response.Content.ReadAsStringAsync());
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/k"), CancellationToken.None));
    }
}
