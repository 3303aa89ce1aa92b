using System.Text;
using System.Xml.Linq;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// Issue 12 on bucket-based storage (<see cref="FlatBucketBackend"/>): an object "a" next to "a/b",
/// and an object "dir/" with content next to "dir/x", request by request as AWS answers — HEAD/GET,
/// listings with and without delimiter, markers and pages, DeleteObjects, multipart uploads of "dir/"
/// (staged by the frontend, since this backend has no multipart of its own) — in cache modes off and writes.
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

    [Theory]
    [InlineData(VfsCacheMode.Off)]
    [InlineData(VfsCacheMode.Writes)]
    public async Task Multipart_FolderKey_BecomesTheObjectWithContentAsForAnyKey(VfsCacheMode mode)
    {
        var cache = Path.Combine(Path.GetTempPath(), "s3keys-mp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (host, backend) = await HostAsync(mode == VfsCacheMode.Off ? null : new VfsOptions { CacheMode = mode, CacheDir = cache, WriteBack = TimeSpan.Zero });
            await using (host)
            {
                // Uploads of "dir/" and of "dir" side by side: two keys, two uploads.
                var begin = await S3RawClient.SendAsync(host, "POST", "/bucket/dir/?uploads");
                var other = await S3RawClient.SendAsync(host, "POST", "/bucket/dir?uploads");
                Assert.True(begin.Status == 200, begin.Body);
                Assert.Equal(200, other.Status);
                Assert.Equal(["dir/"], Values(begin.Body, "Key"));
                var id = Values(begin.Body, "UploadId").Single();
                var otherId = Values(other.Body, "UploadId").Single();
                var uploads = await S3RawClient.SendAsync(host, "GET", "/bucket?uploads");
                Assert.Equal(["dir", "dir/"], Values(uploads.Body, "Upload", "Key"));
                Assert.Equal([otherId, id], Values(uploads.Body, "Upload", "UploadId"));
                Assert.Equal(["dir/"], Values((await S3RawClient.SendAsync(host, "GET", "/bucket?uploads&prefix=dir/")).Body, "Upload", "Key"));

                // An upload id answers only for its own key.
                Assert.Equal(404, (await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir?partNumber=1&uploadId={id}", [1])).Status);
                Assert.Equal(404, (await S3RawClient.SendAsync(host, "GET", $"/bucket/dir/?uploadId={otherId}")).Status);

                var first = new byte[5 * 1024 * 1024];
                Random.Shared.NextBytes(first);
                var last = Encoding.UTF8.GetBytes("the rest of the folder object");
                var part1 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir/?partNumber=1&uploadId={id}", first);
                var part2 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir/?partNumber=2&uploadId={id}", last);
                Assert.Equal((200, 200), (part1.Status, part2.Status));
                var parts = await S3RawClient.SendAsync(host, "GET", $"/bucket/dir/?uploadId={id}");
                Assert.Equal(200, parts.Status);
                Assert.Equal(["dir/"], Values(parts.Body, "Key"));
                Assert.Equal(["1", "2"], Values(parts.Body, "Part", "PartNumber"));

                var complete = await S3RawClient.SendAsync(host, "POST", $"/bucket/dir/?uploadId={id}", CompleteXml(part1.Headers.ETag.ToString(), part2.Headers.ETag.ToString()));
                Assert.True(complete.Status == 200, complete.Body);
                Assert.Equal(["dir/"], Values(complete.Body, "Key"));
                var etag = Values(complete.Body, "ETag").Single();
                Assert.EndsWith("-2\"", etag, StringComparison.Ordinal);

                // The object "dir/" now holds the parts, next to "dir/x", and lists as the single-PUT case does.
                var get = await S3RawClient.SendAsync(host, "GET", "/bucket/dir/");
                Assert.Equal((200, etag), (get.Status, get.Headers.ETag.ToString()));
                Assert.Equal([.. first, .. last], get.Bytes);
                Assert.Equal("below dir/", (await S3RawClient.SendAsync(host, "GET", "/bucket/dir/x")).Body);
                var list = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&prefix=dir/&delimiter=/");
                Assert.Equal(["dir/", "dir/x"], Values(list.Body, "Contents", "Key"));
                Assert.Equal([(first.Length + last.Length).ToString(System.Globalization.CultureInfo.InvariantCulture), "10"], Values(list.Body, "Contents", "Size"));
                Assert.Equal(["a/", "dir/"], Values((await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&delimiter=/")).Body, "CommonPrefixes", "Prefix"));
                Assert.Contains("bucket/dir/", backend.Keys);
                Assert.DoesNotContain("bucket/dir", backend.Keys);

                // Abort of the other key's upload; the finished one is gone from the list.
                Assert.Equal(204, (await S3RawClient.SendAsync(host, "DELETE", $"/bucket/dir?uploadId={otherId}")).Status);
                Assert.Empty(Values((await S3RawClient.SendAsync(host, "GET", "/bucket?uploads")).Body, "Upload", "Key"));
                Assert.Equal(404, (await S3RawClient.SendAsync(host, "GET", $"/bucket/dir/?uploadId={id}")).Status);
            }
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Multipart_FolderKeyAbort_RemovesOnlyThatUpload()
    {
        var (host, backend) = await HostAsync();
        await using (host)
        {
            var id = Values((await S3RawClient.SendAsync(host, "POST", "/bucket/dir/?uploads")).Body, "UploadId").Single();
            Assert.Equal(200, (await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir/?partNumber=1&uploadId={id}", [1, 2, 3])).Status);

            Assert.Equal(204, (await S3RawClient.SendAsync(host, "DELETE", $"/bucket/dir/?uploadId={id}")).Status);
            Assert.Equal(404, (await S3RawClient.SendAsync(host, "GET", $"/bucket/dir/?uploadId={id}")).Status);
            Assert.Equal("folder key with content", (await S3RawClient.SendAsync(host, "GET", "/bucket/dir/")).Body);
            Assert.Equal(["bucket/", "bucket/a", "bucket/a/b", "bucket/dir/", "bucket/dir/x"], backend.Keys);
        }
    }

    [Fact]
    public async Task Multipart_PathBasedDirectoryMarker_RefusedAndNeverReachesTheFoldersNamesake()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var begin = await S3RawClient.SendAsync(host, "POST", "/bucket/dir/?uploads");
        var id = Values((await S3RawClient.SendAsync(host, "POST", "/bucket/dir?uploads")).Body, "UploadId").Single();

        Assert.Equal(400, begin.Status);
        Assert.Equal(["InvalidRequest"], Values(begin.Body, "Code"));
        Assert.Contains("directory marker", begin.Body, StringComparison.Ordinal);

        // The marker "dir/" names the folder "dir" there, but not the upload begun for the key "dir".
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir/?partNumber=1&uploadId={id}", [1])).Status);
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "GET", $"/bucket/dir/?uploadId={id}")).Status);
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "DELETE", $"/bucket/dir/?uploadId={id}")).Status);
        Assert.Equal(200, (await S3RawClient.SendAsync(host, "GET", $"/bucket/dir?uploadId={id}")).Status);
    }

    private static byte[] CompleteXml(params string[] etags) =>
        Encoding.UTF8.GetBytes("<CompleteMultipartUpload>" + string.Concat(etags.Select((e, i) => $"<Part><PartNumber>{i + 1}</PartNumber><ETag>{e}</ETag></Part>")) + "</CompleteMultipartUpload>");

    private static string[] Split(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Values(string xml, string element, string? child = null) =>
        [.. XDocument.Parse(xml).Root!.Elements().Where(e => e.Name.LocalName == element)
            .Select(e => child is null ? e.Value : e.Elements().Single(c => c.Name.LocalName == child).Value)];
}
