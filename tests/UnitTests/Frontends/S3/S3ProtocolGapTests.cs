using System.Text;
using System.Xml.Linq;
using VfsGateway.Backends.Local;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>Issue 12's protocol gaps, request by request: what AWS answers, on the memory and the local backend.</summary>
public sealed class S3ProtocolGapTests
{
    private static async Task<S3TestHost> HostAsync(string backend, bool backendMultipart = false)
    {
        // The local root lives in the host's cache directory, which the host deletes.
        var cacheDir = Path.Combine(Path.GetTempPath(), "s3gap-" + Guid.NewGuid().ToString("N"));
        IBackend? shared = null;
        if (backend == "local")
        {
            Directory.CreateDirectory(Path.Combine(cacheDir, "data"));
            shared = new LocalBackend(new LocalOptions(Path.Combine(cacheDir, "data")));
        }

        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, CacheDir = cacheDir }, backendMultipart: backendMultipart, shared: shared);
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        return host;
    }

    [Theory]
    [InlineData("deflate, gzip", "deflate, gzip")]
    [InlineData("gzip,deflate", "gzip,deflate")]
    [InlineData("aws-chunked, gzip", "gzip")]
    [InlineData("gzip, aws-chunked", "gzip")]
    [InlineData("aws-chunked", null)]
    public async Task PutObject_ContentEncoding_ReturnedAsSentWithoutAwsChunked(string sent, string? returned)
    {
        await using var host = await HostAsync("memory");

        await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", [1, 2], new() { ["Content-Encoding"] = sent });
        var get = await S3RawClient.SendAsync(host, "GET", "/bucket/obj");
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/obj");

        Assert.Equal(returned, get.Headers.ContentEncoding.Count == 0 ? null : get.Headers.ContentEncoding.ToString());
        Assert.Equal(returned, head.Headers.ContentEncoding.Count == 0 ? null : head.Headers.ContentEncoding.ToString());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("local")]
    public async Task PutObject_StoredHeaders_ReturnedByteForByte(string backend)
    {
        await using var host = await HostAsync(backend);
        var headers = new Dictionary<string, string>
        {
            ["Content-Disposition"] = "attachment;  filename=\"a b.txt\"",
            ["Content-Language"] = "de-DE, en",
            ["Cache-Control"] = "max-age=60,  public",
            ["Expires"] = "Thu, 01 Dec 1994 16:00:00 GMT",
            ["Content-Encoding"] = "deflate,  gzip",
        };

        await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", [1], headers);
        var get = await S3RawClient.SendAsync(host, "GET", "/bucket/obj");

        Assert.All(headers, h => Assert.Equal(h.Value, get.Headers[h.Key].ToString()));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("local")]
    public async Task ListObjects_DirectoryMarker_RealLastModified(string backend)
    {
        await using var host = await HostAsync(backend);
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);

        await S3RawClient.SendAsync(host, "PUT", "/bucket/dir/", []);
        var all = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2");
        var inside = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&prefix=dir/");

        foreach (var list in new[] { all, inside })
        {
            var contents = XDocument.Parse(list.Body).Root!.Elements().Single(e => e.Name.LocalName == "Contents");
            Assert.Equal("dir/", contents.Elements().Single(e => e.Name.LocalName == "Key").Value);
            Assert.True(DateTimeOffset.Parse(contents.Elements().Single(e => e.Name.LocalName == "LastModified").Value, System.Globalization.CultureInfo.InvariantCulture) > before);
        }
    }

    /// <summary>A file system holds names up to 255 bytes; the upload's temp name must not be what makes a long one too long (issue 12).</summary>
    [Theory]
    [InlineData(230, false)]
    [InlineData(255, false)]
    [InlineData(255, true)]
    public async Task LongLastSegment_LocalBackend_PutGetMultipartCopyList(int bytes, bool multiByte)
    {
        await using var host = await HostAsync("local");
        string Name(char tag) => multiByte
            ? tag + new string('\u00e9', (bytes - 1) / 2) + new string('x', (bytes - 1) % 2)
            : tag + new string('n', bytes - 1);
        string Target(string name) => "/bucket/dir/" + Uri.EscapeDataString(name);
        var (put, mp, copy) = (Name('p'), Name('m'), Name('c'));
        Assert.All([put, mp, copy], n => Assert.Equal(bytes, Encoding.UTF8.GetByteCount(n)));
        var data = Encoding.ASCII.GetBytes("long name content");

        var putResult = await S3RawClient.SendAsync(host, "PUT", Target(put), data);
        var get = await S3RawClient.SendAsync(host, "GET", Target(put));
        var uploadId = await BeginAsync(host, "dir/" + Uri.EscapeDataString(mp));
        var part = await S3RawClient.SendAsync(host, "PUT", $"{Target(mp)}?partNumber=1&uploadId={uploadId}", data);
        var complete = await S3RawClient.SendAsync(host, "POST", $"{Target(mp)}?uploadId={uploadId}", CompletionXml(part.Headers.ETag.ToString()));
        var copied = await S3RawClient.SendAsync(host, "PUT", Target(copy), null, new() { ["x-amz-copy-source"] = Target(put) });
        var list = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&prefix=dir/");

        Assert.Equal([200, 200, 200, 200, 200], new[] { putResult.Status, get.Status, part.Status, complete.Status, copied.Status });
        Assert.Equal(data, get.Bytes);
        Assert.Equal(data, (await S3RawClient.SendAsync(host, "GET", Target(mp))).Bytes);
        Assert.Equal(data, (await S3RawClient.SendAsync(host, "GET", Target(copy))).Bytes);
        var keys = XDocument.Parse(list.Body).Descendants().Where(e => e.Name.LocalName == "Key").Select(e => e.Value).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "dir/" + copy, "dir/" + mp, "dir/" + put }.Order(StringComparer.Ordinal), keys);
        Assert.Equal(["dir"], Directory.EnumerateFileSystemEntries(Path.Combine(host.CacheDir, "data", "bucket")).Select(Path.GetFileName));
        Assert.Equal(3, Directory.EnumerateFiles(Path.Combine(host.CacheDir, "data", "bucket", "dir")).Count());
    }

    [Fact]
    public async Task LongLastSegment_OverWhatTheFileSystemHolds_400BeforeAnythingIsCreated()
    {
        await using var host = await HostAsync("local");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/src", [1]);
        var name = new string('n', 256);

        var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/dir/" + name, [1]);
        var marker = await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir2/{name}/", []);
        var copy = await S3RawClient.SendAsync(host, "PUT", "/bucket/dir3/" + name, null, new() { ["x-amz-copy-source"] = "/bucket/src" });
        var uploadId = await BeginAsync(host, "dir4/" + name);
        var part = await S3RawClient.SendAsync(host, "PUT", $"/bucket/dir4/{name}?partNumber=1&uploadId={uploadId}", [1]);
        var complete = await S3RawClient.SendAsync(host, "POST", $"/bucket/dir4/{name}?uploadId={uploadId}", CompletionXml(part.Headers.ETag.ToString()));
        var listing = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2");

        Assert.All([put, marker, copy, complete], r =>
        {
            Assert.Equal(400, r.Status);
            Assert.Contains("<Code>InvalidArgument</Code>", r.Body);
            Assert.Contains("256 bytes long", r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(".partial", r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(host.CacheDir, r.Body, StringComparison.Ordinal);
        });

        // No "dir/" key of a directory made for the refused upload.
        Assert.Equal(["src"], XDocument.Parse(listing.Body).Descendants().Where(e => e.Name.LocalName == "Key").Select(e => e.Value));
    }

    [Fact]
    public async Task FailedPut_IntoNewDirectories_LeavesNoDirectoryMarker()
    {
        await using var host = await HostAsync("local");

        await S3RawClient.SendAsync(host, "PUT", "/bucket/marker/", []);
        var wrongMd5 = new Dictionary<string, string> { ["Content-MD5"] = "AAAAAAAAAAAAAAAAAAAAAA==" };

        var intoNew = await S3RawClient.SendAsync(host, "PUT", "/bucket/new/deeper/obj", [1, 2, 3], wrongMd5);
        var intoMarker = await S3RawClient.SendAsync(host, "PUT", "/bucket/marker/sub/obj", [1, 2, 3], wrongMd5);
        var listing = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2");

        // The directories made for a refused upload go; the folder a client made stays.
        Assert.Equal([400, 400], new[] { intoNew.Status, intoMarker.Status });
        Assert.Equal(["marker/"], XDocument.Parse(listing.Body).Descendants().Where(e => e.Name.LocalName == "Key").Select(e => e.Value));
    }

    [Theory]
    [InlineData("PUT", "/bucket/obj")]
    [InlineData("POST", "/bucket/obj?uploads")]
    [InlineData("COPY", "/bucket/copy")]
    public async Task UserMetadataOver2KB_MetadataTooLarge(string operation, string target)
    {
        await using var host = await HostAsync("memory");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/src", [1]);
        async Task<S3RawClient.Result> SendAsync(int valueBytes)
        {
            // AWS counts the UTF-8 bytes of each name (without x-amz-meta-) and value: "k" and 2047 bytes are 2 KB.
            var headers = new Dictionary<string, string> { ["x-amz-meta-k"] = new string('v', valueBytes) };
            if (operation == "COPY")
            {
                headers["x-amz-copy-source"] = "/bucket/src";
                headers["x-amz-metadata-directive"] = "REPLACE";
            }

            return await S3RawClient.SendAsync(host, operation == "COPY" ? "PUT" : operation, target, operation == "POST" ? null : (operation == "PUT" ? [1] : null), headers);
        }

        var atLimit = await SendAsync(2047);
        var over = await SendAsync(2048);

        Assert.Equal(200, atLimit.Status);
        Assert.Equal(400, over.Status);
        Assert.Contains("<Code>MetadataTooLarge</Code>", over.Body);
    }

    [Theory]
    [InlineData("bytes=0-4", 200)]
    [InlineData("bytes=2-5", 416)]
    [InlineData("bytes=10-20", 416)]
    [InlineData("bytes=3-1", 400)]
    [InlineData("bytes=-2", 400)]
    public async Task UploadPartCopy_SourceRange_416WhenUnsatisfiable(string range, int status)
    {
        await using var host = await HostAsync("memory");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/src", [1, 2, 3, 4, 5]);
        var uploadId = await BeginAsync(host, "mp");

        var copy = await S3RawClient.SendAsync(host, "PUT", $"/bucket/mp?partNumber=1&uploadId={uploadId}", null, new() { ["x-amz-copy-source"] = "/bucket/src", ["x-amz-copy-source-range"] = range });

        Assert.Equal(status, copy.Status);
        if (status == 416)
        {
            Assert.Contains("<Code>InvalidRange</Code>", copy.Body);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteMultipartUpload_RetriedAfterSuccess_SameAnswer(bool backendMultipart)
    {
        await using var host = await HostAsync("memory", backendMultipart);
        var uploadId = await BeginAsync(host, "mp");
        var part = await S3RawClient.SendAsync(host, "PUT", $"/bucket/mp?partNumber=1&uploadId={uploadId}", [1, 2, 3]);
        var xml = CompletionXml(part.Headers.ETag.ToString());

        var first = await S3RawClient.SendAsync(host, "POST", $"/bucket/mp?uploadId={uploadId}", xml);
        var retry = await S3RawClient.SendAsync(host, "POST", $"/bucket/mp?uploadId={uploadId}", xml);
        var otherKey = await S3RawClient.SendAsync(host, "POST", $"/bucket/other?uploadId={uploadId}", xml);
        var unknown = await S3RawClient.SendAsync(host, "POST", "/bucket/mp?uploadId=nosuchupload", CompletionXml("\"00000000000000000000000000000000\""));

        Assert.Equal(200, first.Status);
        Assert.Equal(200, retry.Status);
        Assert.Equal(Element(first.Body, "ETag"), Element(retry.Body, "ETag"));
        Assert.Equal(Element(first.Body, "Location"), Element(retry.Body, "Location"));
        Assert.Equal(404, otherKey.Status);
        Assert.Contains("<Code>NoSuchUpload</Code>", unknown.Body);
    }

    [Fact]
    public async Task CompleteMultipartUpload_RetriedOnAnotherInstance_SameAnswerFromStoredETag()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        await using (backend)
        {
            await using var a = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: true, shared: backend);
            await using var b = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: true, shared: backend);
            await S3RawClient.SendAsync(a, "PUT", "/bucket");
            var uploadId = await BeginAsync(a, "mp");
            var part = await S3RawClient.SendAsync(a, "PUT", $"/bucket/mp?partNumber=1&uploadId={uploadId}", [1, 2, 3]);
            var xml = CompletionXml(part.Headers.ETag.ToString());

            var first = await S3RawClient.SendAsync(a, "POST", $"/bucket/mp?uploadId={uploadId}", xml);
            var retry = await S3RawClient.SendAsync(b, "POST", $"/bucket/mp?uploadId={uploadId}", xml);
            var otherParts = await S3RawClient.SendAsync(b, "POST", $"/bucket/mp?uploadId={uploadId}", CompletionXml("\"00000000000000000000000000000000\""));

            Assert.Equal(200, first.Status);
            Assert.Equal(200, retry.Status);
            Assert.Equal(Element(first.Body, "ETag"), Element(retry.Body, "ETag"));
            Assert.Equal(404, otherParts.Status);
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("local")]
    public async Task PutObject_KeysAFileSystemCannotHold_409KeyConflictWithoutPaths(string backend)
    {
        await using var host = await HostAsync(backend);
        await S3RawClient.SendAsync(host, "PUT", "/bucket/a", [1]);
        await S3RawClient.SendAsync(host, "PUT", "/bucket/d/x", [1]);

        var below = await S3RawClient.SendAsync(host, "PUT", "/bucket/a/b", [2]);
        var deeper = await S3RawClient.SendAsync(host, "PUT", "/bucket/a/b/c", [2]);
        var marker = await S3RawClient.SendAsync(host, "PUT", "/bucket/a/", []);
        var overDir = await S3RawClient.SendAsync(host, "PUT", "/bucket/d", [2]);
        var markerWithData = await S3RawClient.SendAsync(host, "PUT", "/bucket/e/", [3]);
        var copyOverDir = await S3RawClient.SendAsync(host, "PUT", "/bucket/d", null, new() { ["x-amz-copy-source"] = "/bucket/a" });

        Assert.All([below, deeper, marker, overDir, markerWithData, copyOverDir], r =>
        {
            Assert.Equal(409, r.Status);
            Assert.Contains("<Code>KeyConflict</Code>", r.Body);
            Assert.DoesNotContain(host.CacheDir, r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("partial", r.Body, StringComparison.Ordinal);
        });
        Assert.Equal(1, (await host.Vfs.StatAsync(VfsPath.Parse("bucket/a"), CancellationToken.None)).Size);
        Assert.True((await host.Vfs.StatAsync(VfsPath.Parse("bucket/d"), CancellationToken.None)).IsDirectory);
    }

    private static async Task<string> BeginAsync(S3TestHost host, string key)
    {
        var begin = await S3RawClient.SendAsync(host, "POST", $"/bucket/{key}?uploads");
        return Element(begin.Body, "UploadId");
    }

    private static byte[] CompletionXml(string etag) =>
        Encoding.UTF8.GetBytes($"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>");

    private static string Element(string xml, string name) =>
        XDocument.Parse(xml).Descendants().First(e => e.Name.LocalName == name).Value;
}
