using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>Routing, bucket names, key canonicality and error documents.</summary>
public sealed class S3RequestTests
{
    private static Task<S3TestHost> NoAuthHostAsync() => S3TestHost.StartAsync(new S3Options { NoAuth = true });

    [Theory]
    [InlineData("/AB/key")]
    [InlineData("/ab/key")]
    [InlineData("/Bucket/key")]
    [InlineData("/bucket_1/key")]
    [InlineData("/192.168.1.1/key")]
    [InlineData("/-bucket/key")]
    [InlineData("/bucket-/key")]
    [InlineData("/my..bucket/key")]
    [InlineData("/xn--bucket/key")]
    public async Task Request_InvalidBucketName_400InvalidBucketName(string target)
    {
        await using var host = await NoAuthHostAsync();

        var result = await S3RawClient.SendAsync(host, "GET", target);

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>InvalidBucketName</Code>", result.Body);
    }

    [Theory]
    [InlineData("/bucket/../other/key")]
    [InlineData("/bucket/%2E%2E/other/key")]
    [InlineData("/bucket/a/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/bucket//key")]
    [InlineData("/bucket/a//b")]
    [InlineData("/bucket/a/./b")]
    [InlineData("/bucket/a%2F..%2Fb")]
    [InlineData("/bucket/a%00b")]
    [InlineData("/bucket/a%5Cb")]
    public async Task PutObject_NonCanonicalKey_400AndNothingStored(string target)
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);
        await host.Vfs.MkdirAsync(VfsPath.Parse("other"), CancellationToken.None);

        var result = await S3RawClient.SendAsync(host, "PUT", target, "evil"u8.ToArray());

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>InvalidArgument</Code>", result.Body);
        var everything = new List<Entry>();
        await foreach (var e in host.Vfs.ListRecursiveAsync(VfsPath.Root, CancellationToken.None))
        {
            everything.Add(e);
        }

        Assert.All(everything, e => Assert.True(e.IsDirectory));
    }

    [Fact]
    public async Task PutObject_KeyOver1024Bytes_KeyTooLongError()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);

        var ok = await S3RawClient.SendAsync(host, "PUT", "/bucket/" + new string('k', 1024), [1]);
        var tooLong = await S3RawClient.SendAsync(host, "PUT", "/bucket/" + new string('k', 1023) + "%C3%BC", [1]);

        Assert.Equal(200, ok.Status);
        Assert.Equal(400, tooLong.Status);
        Assert.Contains("<Code>KeyTooLongError</Code>", tooLong.Body);
    }

    [Theory]
    [InlineData("GET", "/bucket?acl")]
    [InlineData("PUT", "/bucket?lifecycle")]
    [InlineData("GET", "/bucket?policy")]
    [InlineData("GET", "/bucket?tagging")]
    [InlineData("PATCH", "/bucket/key")]
    [InlineData("DELETE", "/")]
    public async Task Request_UnknownOperation_501NotImplemented(string method, string target)
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);

        var result = await S3RawClient.SendAsync(host, method, target);

        Assert.Equal(501, result.Status);
        Assert.Contains("<Code>NotImplemented</Code>", result.Body);
    }

    [Fact]
    public async Task Error_Document_HasCodeMessageResourceRequestId()
    {
        await using var host = await NoAuthHostAsync();

        var result = await S3RawClient.SendAsync(host, "GET", "/nobucket/some/key");

        Assert.Equal(404, result.Status);
        var doc = System.Xml.Linq.XDocument.Parse(result.Body).Root!;
        Assert.Equal("Error", doc.Name.LocalName);
        Assert.Equal("NoSuchBucket", doc.Element("Code")!.Value);
        Assert.False(string.IsNullOrEmpty(doc.Element("Message")!.Value));
        Assert.Equal("/nobucket/some/key", doc.Element("Resource")!.Value);
        Assert.Equal(result.Headers["x-amz-request-id"].ToString(), doc.Element("RequestId")!.Value);
    }

    [Fact]
    public async Task Success_Response_HasRequestId()
    {
        await using var host = await NoAuthHostAsync();

        var result = await S3RawClient.SendAsync(host, "PUT", "/newbucket");

        Assert.Equal(200, result.Status);
        Assert.Equal(16, result.Headers["x-amz-request-id"].ToString().Length);
    }

    [Fact]
    public async Task GetObject_FileInRoot_NotAnObject()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.PutAsync(VfsPath.Parse("rootfile"), new MemoryStream([1]), PutOptions.Default, CancellationToken.None);

        var asBucket = await S3RawClient.SendAsync(host, "HEAD", "/rootfile");
        var list = await S3RawClient.SendAsync(host, "GET", "/rootfile");

        Assert.Equal(404, asBucket.Status);
        Assert.Contains("<Code>NoSuchBucket</Code>", list.Body);
    }

    [Fact]
    public async Task CreateBucket_Twice_200AsUsEast1()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.PutAsync(VfsPath.Parse("rootfile"), new MemoryStream([1]), PutOptions.Default, CancellationToken.None);

        var first = await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var second = await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var overFile = await S3RawClient.SendAsync(host, "PUT", "/rootfile");

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal("/bucket", second.Headers.Location.ToString());
        Assert.Equal(409, overFile.Status);
        Assert.Contains("<Code>BucketAlreadyExists</Code>", overFile.Body);
    }

    [Theory]
    [InlineData("GET", "/bucket?foo=bar", 200)]
    [InlineData("GET", "/bucket?list-type=2&x-custom", 200)]
    [InlineData("GET", "/bucket/key?foo", 200)]
    [InlineData("HEAD", "/bucket/key?unknown=1&partNumber=1", 200)]
    [InlineData("GET", "/bucket?cors", 501)]
    [InlineData("GET", "/bucket?lifecycle", 501)]
    [InlineData("GET", "/bucket/key?acl", 501)]
    [InlineData("PUT", "/bucket?website", 501)]
    [InlineData("GET", "/bucket/key?torrent", 501)]
    public async Task Request_QueryParameter_UnknownIgnoredSubResource501(string method, string target, int status)
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.PutAsync(VfsPath.Parse("bucket/key"), new MemoryStream([1]), PutOptions.Default, CancellationToken.None);

        var result = await S3RawClient.SendAsync(host, method, target);

        Assert.Equal(status, result.Status);
    }

    [Fact]
    public async Task DeleteObjects_MalformedXml_MalformedXML()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);

        var broken = await S3RawClient.SendAsync(host, "POST", "/bucket?delete", "<Delete><Object><Key>a</Key></Object>"u8.ToArray());
        var wrongRoot = await S3RawClient.SendAsync(host, "POST", "/bucket?delete", "<Remove><Object><Key>a</Key></Object></Remove>"u8.ToArray());
        var noKey = await S3RawClient.SendAsync(host, "POST", "/bucket?delete", "<Delete><Object></Object></Delete>"u8.ToArray());

        Assert.All([broken, wrongRoot, noKey], r =>
        {
            Assert.Equal(400, r.Status);
            Assert.Contains("<Code>MalformedXML</Code>", r.Body);
        });
    }

    [Fact]
    public async Task DeleteObjects_Quiet_ListsOnlyErrors()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.PutAsync(VfsPath.Parse("bucket/a"), new MemoryStream([1]), PutOptions.Default, CancellationToken.None);

        var result = await S3RawClient.SendAsync(host, "POST", "/bucket?delete", "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>x//y</Key></Object></Delete>"u8.ToArray());

        Assert.Equal(200, result.Status);
        Assert.DoesNotContain("<Deleted>", result.Body);
        Assert.Contains("<Key>x//y</Key>", result.Body);
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/a"), CancellationToken.None));
    }

    [Fact]
    public async Task PutObject_TempUploadName_Refused()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);
        var temp = TempNames.For(VfsPath.Parse("bucket/file")).Name;

        var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/" + temp, [1]);
        var get = await S3RawClient.SendAsync(host, "GET", "/bucket/" + temp);

        Assert.Equal(400, put.Status);
        Assert.Equal(400, get.Status);
    }

    [Fact]
    public async Task GetObject_DirectoryMarkerOfExistingDirectory_EmptyObject()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket/dir"), CancellationToken.None);

        var marker = await S3RawClient.SendAsync(host, "HEAD", "/bucket/dir/");
        var plain = await S3RawClient.SendAsync(host, "HEAD", "/bucket/dir");
        var missing = await S3RawClient.SendAsync(host, "HEAD", "/bucket/nodir/");

        Assert.Equal(200, marker.Status);
        Assert.Equal(0, marker.Headers.ContentLength);
        Assert.Equal(404, plain.Status);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task CreateBucket_MalformedConfiguration_MalformedXML()
    {
        await using var host = await NoAuthHostAsync();

        var bad = await S3RawClient.SendAsync(host, "PUT", "/bucket", "<CreateBucketConfiguration>"u8.ToArray());
        var good = await S3RawClient.SendAsync(host, "PUT", "/bucket", "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"u8.ToArray());

        Assert.Equal(400, bad.Status);
        Assert.Contains("<Code>MalformedXML</Code>", bad.Body);
        Assert.Equal(200, good.Status);
    }

    [Fact]
    public void Sources_S3Frontend_NeverNameABackend()
    {
        var dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "src", "Frontends", "S3")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("repository root not found");
        }

        var offenders = Directory.EnumerateFiles(Path.Combine(dir, "src", "Frontends", "S3"), "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("VfsGateway.Backends", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(offenders);
        Assert.DoesNotContain(typeof(S3Options).Assembly.GetReferencedAssemblies(), a => a.Name == "VfsGateway.Backends");
    }

    [Fact]
    public async Task ListBuckets_RemoteRootNotCreatedYet_Empty()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, wrap: _ => new VfsGateway.Backends.Memory.MemoryBackend(new VfsGateway.Backends.Memory.MemoryOptions(VfsPath.Parse("not/yet"))));

        var result = await S3RawClient.SendAsync(host, "GET", "/");

        Assert.Equal(200, result.Status);
        Assert.Contains("<Buckets />", result.Body.Replace("<Buckets></Buckets>", "<Buckets />", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutObject_EtagHashNone_BackendTagNotMd5()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, EtagHash = S3EtagHash.None });
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);

        var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/k", "data"u8.ToArray());
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/k");

        Assert.Equal(200, put.Status);
        Assert.NotEqual($"\"{S3SdkTests.Md5Hex("data"u8.ToArray())}\"", put.Headers.ETag.ToString());
        Assert.Equal(put.Headers.ETag.ToString(), head.Headers.ETag.ToString());
    }

    [Fact]
    public async Task GetBucketVersioning_Always_EmptyConfiguration()
    {
        await using var host = await NoAuthHostAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);

        var result = await S3RawClient.SendAsync(host, "GET", "/bucket?versioning");

        Assert.Equal(200, result.Status);
        var root = System.Xml.Linq.XDocument.Parse(result.Body).Root!;
        Assert.Equal("VersioningConfiguration", root.Name.LocalName);
        Assert.Empty(root.Elements());
    }
}
