using Amazon.S3.Model;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

public sealed class S3ListTests
{
    // UTF-8 order: U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80), unlike UTF-16 ordinal order.
    // '.' (2E) < '/' (2F) < '0' (30): a directory sorts by its name plus '/'.
    private static readonly string[] Keys = ["a-b", "a.x", "a/b", "a/c/d", "a/c/e", "a0", "b", "b c", "\uFF21", "\U0001F600"];

    private static async Task<S3TestHost> HostWithKeysAsync(Func<IBackend, IBackend>? wrap = null)
    {
        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, wrap: wrap);
        try
        {
            foreach (var key in Keys)
            {
                await host.Vfs.PutAsync(VfsPath.Parse("bucket/" + key), new MemoryStream([1, 2, 3]), PutOptions.Default, CancellationToken.None);
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    [Fact]
    public async Task ListObjectsV2_NoDelimiter_AllKeysInUtf8Order()
    {
        await using var host = await HostWithKeysAsync();
        using var s3 = host.CreateSdkClient();

        var result = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket" });

        Assert.Equal(Keys, result.S3Objects.Select(o => o.Key));
        Assert.Equal(Keys.Length, result.KeyCount);
        Assert.False(result.IsTruncated);
        Assert.All(result.S3Objects, o => Assert.Equal(3, o.Size));
    }

    [Fact]
    public async Task ListObjectsV2_SlashDelimiter_RollsUpDirectories()
    {
        await using var host = await HostWithKeysAsync();
        using var s3 = host.CreateSdkClient();

        var root = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Delimiter = "/" });
        var inA = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Delimiter = "/", Prefix = "a/" });

        Assert.Equal(["a-b", "a.x", "a0", "b", "b c", "\uFF21", "\U0001F600"], root.S3Objects.Select(o => o.Key));
        Assert.Equal(["a/"], root.CommonPrefixes);
        Assert.Equal(["a/b"], inA.S3Objects.Select(o => o.Key));
        Assert.Equal(["a/c/"], inA.CommonPrefixes);
    }

    [Fact]
    public async Task ListObjectsV2_OtherDelimiter_RollsUpOnIt()
    {
        await using var host = await HostWithKeysAsync();
        using var s3 = host.CreateSdkClient();

        var result = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Delimiter = "-" });

        Assert.Equal(["a-"], result.CommonPrefixes);
        Assert.DoesNotContain("a-b", result.S3Objects.Select(o => o.Key));
        Assert.Contains("a/c/d", result.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListObjectsV2_PartialPrefix_MatchesNamesStartingWithIt()
    {
        await using var host = await HostWithKeysAsync();
        using var s3 = host.CreateSdkClient();

        var result = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Prefix = "a/c/" });
        var partial = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Prefix = "b" });
        var missing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Prefix = "zzz/" });

        Assert.Equal(["a/c/d", "a/c/e"], result.S3Objects.Select(o => o.Key));
        Assert.Equal(["b", "b c"], partial.S3Objects.Select(o => o.Key));
        Assert.Empty(missing.S3Objects ?? []);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task ListObjectsV2_Paged_ConcatenationEqualsFullListing(int pageSize)
    {
        await using var host = await HostWithKeysAsync();
        using var s3 = host.CreateSdkClient();
        var keys = new List<string>();
        string? token = null;
        var pages = 0;

        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", MaxKeys = pageSize, ContinuationToken = token });
            Assert.True(page.KeyCount <= pageSize);
            keys.AddRange(page.S3Objects?.Select(o => o.Key) ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(Keys, keys);
        Assert.Equal((Keys.Length + pageSize - 1) / pageSize, pages);
    }

    [Fact]
    public async Task ListObjectsV1_PagedWithDelimiter_UsesNextMarker()
    {
        await using var host = await HostWithKeysAsync();
        using var s3 = host.CreateSdkClient();
        var items = new List<string>();
        string? marker = null;

        do
        {
            var page = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = "bucket", MaxKeys = 2, Delimiter = "/", Marker = marker });
            items.AddRange(page.S3Objects?.Select(o => o.Key) ?? []);
            items.AddRange(page.CommonPrefixes ?? []);
            marker = page.IsTruncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        Assert.Equal(["a-b", "a.x", "a/", "a0", "b", "b c", "\uFF21", "\U0001F600"], items.Order(Utf8Order.Instance));
        Assert.Equal(8, items.Count);
    }

    [Fact]
    public async Task ListObjectsV1_NoDelimiter_NoNextMarker()
    {
        await using var host = await HostWithKeysAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket?max-keys=2");

        Assert.Contains("<IsTruncated>true</IsTruncated>", result.Body);
        Assert.DoesNotContain("NextMarker", result.Body);
        Assert.Contains("<Marker></Marker>", result.Body.Replace("<Marker />", "<Marker></Marker>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListObjectsV2_EncodingTypeUrl_EncodesKeys()
    {
        await using var host = await HostWithKeysAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&prefix=b&encoding-type=url&fetch-owner=true");

        Assert.Contains("<Key>b%20c</Key>", result.Body);
        Assert.Contains("<EncodingType>url</EncodingType>", result.Body);
        Assert.Contains("<Owner>", result.Body);
    }

    [Fact]
    public async Task ListObjectsV2_WithoutFetchOwner_NoOwner()
    {
        await using var host = await HostWithKeysAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2");

        Assert.DoesNotContain("<Owner>", result.Body);
        Assert.Contains("<KeyCount>10</KeyCount>", result.Body);
    }

    [Theory]
    [InlineData("max-keys=-1")]
    [InlineData("max-keys=abc")]
    [InlineData("encoding-type=base64")]
    [InlineData("list-type=2&continuation-token=%25%25%25")]
    public async Task ListObjects_BadParameter_InvalidArgument(string query)
    {
        await using var host = await HostWithKeysAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket?" + query);

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>InvalidArgument</Code>", result.Body);
    }

    [Fact]
    public async Task ListObjects_EmptyDirectory_AppearsAsMarker()
    {
        await using var host = await HostWithKeysAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket/empty"), CancellationToken.None);
        using var s3 = host.CreateSdkClient();

        var result = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Prefix = "e" });

        Assert.Equal(["empty/"], result.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListObjectsV2_StartAfterDeepInTree_ListsOnlyDirectoriesOnTheWay()
    {
        CountingBackend? counting = null;
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, wrap: b => counting = new CountingBackend(b));
        for (var d = 0; d < 30; d++)
        {
            for (var f = 0; f < 3; f++)
            {
                await host.Vfs.PutAsync(VfsPath.Parse($"bucket/d{d:00}/f{f}"), new MemoryStream([1]), PutOptions.Default, CancellationToken.None);
            }
        }

        using var s3 = host.CreateSdkClient();
        counting!.Listed.Clear();

        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", StartAfter = "d20/f1", MaxKeys = 3 });

        Assert.Equal(["d20/f2", "d21/f0", "d21/f1"], page.S3Objects.Select(o => o.Key));
        Assert.True(page.IsTruncated);
        Assert.Equal(["bucket", "bucket/d20", "bucket/d21"], counting.Listed);
    }

    [Fact]
    public async Task ListObjects_MissingBucket_NoSuchBucket()
    {
        await using var host = await HostWithKeysAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/nobucket?list-type=2");

        Assert.Equal(404, result.Status);
        Assert.Contains("<Code>NoSuchBucket</Code>", result.Body);
    }
}
