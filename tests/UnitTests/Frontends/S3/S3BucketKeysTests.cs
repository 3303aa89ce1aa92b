using System.Text;
using System.Xml.Linq;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// Issue 12 on bucket-based storage (<see cref="FlatBucketBackend"/>): an object "a" next to "a/b",
/// and an object "dir/" with content next to "dir/x", request by request as AWS answers — HEAD/GET,
/// listings with and without delimiter, markers and pages, DeleteObjects — in cache modes off and writes.
/// </summary>
public sealed class S3BucketKeysTests
{
    private static readonly (string Key, string Body)[] Objects =
    [
        ("a", "object a"),
        ("a/b", "below a"),
        ("dir/", "folder key with content"),
        ("dir/x", "below dir/"),
    ];

    private static async Task<(S3TestHost Host, FlatBucketBackend Backend)> HostAsync(VfsOptions? vfsOptions = null)
    {
        var backend = new FlatBucketBackend();
        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, vfsOptions: vfsOptions, shared: backend);
        Assert.Equal(200, (await S3RawClient.SendAsync(host, "PUT", "/bucket")).Status);
        foreach (var (key, body) in Objects)
        {
            var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/" + key, Encoding.UTF8.GetBytes(body));
            Assert.True(put.Status == 200, put.Body);
        }

        return (host, backend);
    }

    [Fact]
    public async Task PutHeadGet_ObjectNextToPrefixAndFolderKeyWithContent_EachKeepsItsBytes()
    {
        var (host, backend) = await HostAsync();
        await using (host)
        {
            foreach (var (key, body) in Objects)
            {
                var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/" + key);
                var get = await S3RawClient.SendAsync(host, "GET", "/bucket/" + key);
                Assert.Equal((200, (long?)body.Length), (head.Status, head.Headers.ContentLength));
                Assert.Equal((200, body), (get.Status, get.Body));
                Assert.Equal(head.Headers.ETag.ToString(), get.Headers.ETag.ToString());
            }

            // The storage holds each under its exact name (and the bucket's own marker).
            Assert.Equal(["bucket/", "bucket/a", "bucket/a/b", "bucket/dir/", "bucket/dir/x"], backend.Keys);
        }
    }

    [Theory]
    [InlineData("list-type=2", "a a/b dir/ dir/x", "")]
    [InlineData("list-type=2&delimiter=/", "a", "a/ dir/")]
    [InlineData("list-type=2&delimiter=/&prefix=dir/", "dir/ dir/x", "")]
    [InlineData("list-type=2&delimiter=/&prefix=a", "a", "a/")]
    [InlineData("list-type=2&prefix=dir/", "dir/ dir/x", "")]
    [InlineData("list-type=2&prefix=dir", "dir/ dir/x", "")]
    [InlineData("list-type=2&start-after=a/b", "dir/ dir/x", "")]
    [InlineData("list-type=2&start-after=dir/", "dir/x", "")]
    [InlineData("list-type=2&start-after=dir/&delimiter=/", "", "")]
    [InlineData("marker=a&delimiter=/", "", "a/ dir/")]
    [InlineData("delimiter=x", "a a/b dir/", "dir/x")]
    [InlineData("list-type=2&prefix=tree/", "", "")]
    [InlineData("list-type=2&prefix=a/b/", "", "")]
    [InlineData("list-type=2&prefix=dir/x/&delimiter=/", "", "")]
    public async Task ListObjects_BothKindsOfKeys_AsAws(string query, string keys, string prefixes)
    {
        var (host, _) = await HostAsync();
        await using (host)
        {
            var list = await S3RawClient.SendAsync(host, "GET", "/bucket?" + query);

            Assert.Equal(200, list.Status);
            Assert.Equal(Split(keys), Values(list.Body, "Contents", "Key"));
            Assert.Equal(Split(prefixes), Values(list.Body, "CommonPrefixes", "Prefix"));
        }
    }

    [Fact]
    public async Task ListObjects_PathBasedPrefixThatNamesNothing_EmptyNotAnError()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/a/b", [1]);

        foreach (var prefix in new[] { "tree/", "a/b/", "a/c/" })
        {
            var list = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&prefix=" + prefix);
            Assert.Equal(200, list.Status);
            Assert.Empty(Values(list.Body, "Contents", "Key"));
        }
    }

    [Fact]
    public async Task ListObjectsV2_OneKeyPerPage_WalksEveryKeyOnceInOrder()
    {
        var (host, _) = await HostAsync();
        await using (host)
        {
            var seen = new List<string>();
            var sizes = new List<string>();
            string? token = null;
            do
            {
                var page = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&max-keys=1" + (token is null ? string.Empty : "&continuation-token=" + Uri.EscapeDataString(token)));
                seen.AddRange(Values(page.Body, "Contents", "Key"));
                sizes.AddRange(Values(page.Body, "Contents", "Size"));
                token = Values(page.Body, "NextContinuationToken").SingleOrDefault();
            }
            while (token is not null);

            Assert.Equal(Objects.Select(o => o.Key), seen);
            Assert.Equal(Objects.Select(o => o.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), sizes);
        }
    }

    [Fact]
    public async Task DeleteObjects_ObjectAndFolderKey_LeaveTheKeysBelow()
    {
        var (host, backend) = await HostAsync();
        await using (host)
        {
            var xml = Encoding.UTF8.GetBytes("<Delete><Object><Key>a</Key></Object><Object><Key>dir/</Key></Object></Delete>");
            var delete = await S3RawClient.SendAsync(host, "POST", "/bucket?delete", xml);

            Assert.Equal(200, delete.Status);
            Assert.Equal(["a", "dir/"], Values(delete.Body, "Deleted", "Key"));
            Assert.Empty(Values(delete.Body, "Error", "Key"));
            Assert.Equal(["bucket/", "bucket/a/b", "bucket/dir/x"], backend.Keys);
            Assert.Equal(404, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/dir/")).Status);
            Assert.Equal(404, (await S3RawClient.SendAsync(host, "GET", "/bucket/a")).Status);
            Assert.Equal(["a/b", "dir/x"], Values((await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2")).Body, "Contents", "Key"));

            // Deleting the last key below a folder key leaves the folder key (AWS never prunes).
            await S3RawClient.SendAsync(host, "PUT", "/bucket/dir/", [7]);
            Assert.Equal(204, (await S3RawClient.SendAsync(host, "DELETE", "/bucket/dir/x")).Status);
            Assert.Equal(["a/b", "dir/"], Values((await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2")).Body, "Contents", "Key"));
        }
    }

    [Fact]
    public async Task CopyObject_ToAndFromFolderKey_Works()
    {
        var (host, backend) = await HostAsync();
        await using (host)
        {
            var toFolder = await S3RawClient.SendAsync(host, "PUT", "/bucket/copy/", null, new() { ["x-amz-copy-source"] = "/bucket/a" });
            var fromFolder = await S3RawClient.SendAsync(host, "PUT", "/bucket/dir/x/y", null, new() { ["x-amz-copy-source"] = "/bucket/dir/" });

            Assert.True(toFolder.Status == 200, toFolder.Body);
            Assert.True(fromFolder.Status == 200, fromFolder.Body);
            Assert.Equal("object a", (await S3RawClient.SendAsync(host, "GET", "/bucket/copy/")).Body);
            Assert.Equal("folder key with content", (await S3RawClient.SendAsync(host, "GET", "/bucket/dir/x/y")).Body);
            Assert.Contains("bucket/dir/x", backend.Keys);
            Assert.Contains("bucket/dir/x/y", backend.Keys);
        }
    }

    [Fact]
    public async Task PutObject_WritesCacheMode_ObjectNextToPrefixBothUploaded()
    {
        var cache = Path.Combine(Path.GetTempPath(), "s3keys-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (host, backend) = await HostAsync(new VfsOptions { CacheMode = VfsCacheMode.Writes, CacheDir = cache, WriteBack = TimeSpan.Zero });
            await using (host)
            {
                foreach (var (key, body) in Objects)
                {
                    Assert.Equal(body, (await S3RawClient.SendAsync(host, "GET", "/bucket/" + key)).Body);
                }

                Assert.Equal(["a", "a/b", "dir/", "dir/x"], Values((await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2")).Body, "Contents", "Key"));
                await host.Vfs.WaitForUploadsAsync(CancellationToken.None);
                Assert.Equal(["bucket/", "bucket/a", "bucket/a/b", "bucket/dir/", "bucket/dir/x"], backend.Keys);
            }
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task Multipart_FolderKey_RefusedClearly()
    {
        var (host, _) = await HostAsync();
        await using (host)
        {
            var begin = await S3RawClient.SendAsync(host, "POST", "/bucket/parts/?uploads");

            Assert.Equal(400, begin.Status);
            Assert.Contains("single PUT", begin.Body, StringComparison.Ordinal);
        }
    }

    private static string[] Split(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Values(string xml, string element, string? child = null) =>
        [.. XDocument.Parse(xml).Root!.Elements().Where(e => e.Name.LocalName == element)
            .Select(e => child is null ? e.Value : e.Elements().Single(c => c.Name.LocalName == child).Value)];
}
