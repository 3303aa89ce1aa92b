using System.Net;
using System.Xml.Linq;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Vfs;

/// <summary>
/// `serve s3` in mode writes serves an object it acknowledged while the upload still waits in the cache
/// (rclone issue #8188: GET/HEAD/list missed such objects), and the object reaches the backend after a restart.
/// </summary>
public sealed class S3WriteBackReadYourWritesTests
{
    [Fact]
    public async Task PutObject_UploadPending_GetHeadListServeItAndRestartUploadsIt()
    {
        using var temp = new TempDir("vfs-s3-ryw");
        var root = temp.Dir("root");
        var cache = temp.Dir("cache");
        var content = new byte[(3 << 20) + 123];
        new Random(43).NextBytes(content);
        var backendFile = Path.Combine(root, "bucket", "dir one", "object.bin");
        string[] serve(string writeBack) =>
            ["serve", "s3", "local:" + root, "--no-auth", "--vfs-cache-mode", "writes", "--vfs-write-back", writeBack, "--cache-dir", cache];

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var first = await GatewayServer.StartAsync(serve("60s"));
        try
        {
            var baseUrl = first.BaseUrl;
            using (var created = await http.PutAsync(new Uri(baseUrl + "/bucket"), null))
            {
                Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            }

            using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUrl + "/bucket/dir%20one/object.bin")))
            {
                put.Content = new ByteArrayContent(content);
                put.Content.Headers.ContentType = new("application/x-test");
                put.Headers.Add("x-amz-meta-colour", "teal");
                using var response = await http.SendAsync(put);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            Assert.False(File.Exists(backendFile), "the object reached the backend despite --vfs-write-back 60s; the test would prove nothing");

            using (var get = await http.GetAsync(new Uri(baseUrl + "/bucket/dir%20one/object.bin")))
            {
                Assert.Equal(HttpStatusCode.OK, get.StatusCode);
                Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
            }

            using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(baseUrl + "/bucket/dir%20one/object.bin"))))
            {
                Assert.Equal(HttpStatusCode.OK, head.StatusCode);
                Assert.Equal(content.Length, head.Content.Headers.ContentLength);
                Assert.Equal("application/x-test", head.Content.Headers.ContentType?.MediaType);
                Assert.Equal("teal", Assert.Single(head.Headers.GetValues("x-amz-meta-colour")));
            }

            var listed = await ListAsync(http, baseUrl, "dir%20one/");
            Assert.Equal(content.Length, Assert.Single(listed, e => e.Key == "dir one/object.bin").Size);
            Assert.Contains(await ListAsync(http, baseUrl, string.Empty), e => e.Key == "dir one/object.bin");
            Assert.False(File.Exists(backendFile), "the object reached the backend during the reads");
        }
        finally
        {
            await first.DisposeAsync(); // kills the process: the upload stays queued in the cache
        }

        Assert.False(File.Exists(backendFile));

        await using var restarted = await GatewayServer.StartAsync(serve("1s"));
        await ResticWriteBackOutageTests.WaitForAsync(
            () => File.Exists(backendFile) && new FileInfo(backendFile).Length == content.Length,
            TimeSpan.FromSeconds(90),
            () => "the queued object did not reach the backend after the restart:\n" + restarted.Stderr);
        await ResticWriteBackOutageTests.WaitForAsync(
            () => restarted.Stderr.Contains("upload queue drained", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            () => "no drain message:\n" + restarted.Stderr);
        Assert.Equal(content, await File.ReadAllBytesAsync(backendFile));

        using var afterUpload = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(restarted.BaseUrl + "/bucket/dir%20one/object.bin")));
        Assert.Equal(HttpStatusCode.OK, afterUpload.StatusCode);
        Assert.Equal("teal", Assert.Single(afterUpload.Headers.GetValues("x-amz-meta-colour")));
    }

    private static async Task<List<(string Key, long Size)>> ListAsync(HttpClient http, string baseUrl, string prefix)
    {
        var xml = await http.GetStringAsync(new Uri($"{baseUrl}/bucket?list-type=2&prefix={prefix}"));
        var doc = XDocument.Parse(xml);
        return [.. doc.Descendants().Where(e => e.Name.LocalName == "Contents").Select(c => (
            c.Elements().Single(e => e.Name.LocalName == "Key").Value,
            long.Parse(c.Elements().Single(e => e.Name.LocalName == "Size").Value, System.Globalization.CultureInfo.InvariantCulture)))];
    }
}
