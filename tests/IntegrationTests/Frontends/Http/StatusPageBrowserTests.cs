using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Http;

/// <summary>
/// --status-page in a real browser (issue 14): headless Chromium opens /_gateway/status with the
/// metrics credentials in the URL while uploads run, and the test reads what the page's script
/// rendered (--dump-dom) and checks the screenshot. One browser launch per frontend.
/// </summary>
public sealed class StatusPageBrowserTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    [Fact]
    public async Task ResticStatusPage_WhileUploadsRun_RendersTrafficCacheRepositoryAndErrors()
    {
        using var http = fixture.ResticClient();
        (await http.PostAsync("/photos/?create=true", null)).EnsureSuccessStatusCode();
        await StatusPageFixture.SaveBlobAsync(http, "photos", 64 * 1024);

        // restic's upload check: a blob whose name is not its SHA-256 is refused with 400.
        var bad = await http.PostAsync("/photos/data/" + new string('a', 64) + "?secret-query=1", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var anonymous = StatusPageFixture.PlainClient(fixture.Restic))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/_gateway/status.json")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/_gateway/status")).StatusCode);
        }

        var dom = await WithUploadsRunningAsync(
            ct => StatusPageFixture.SaveBlobAsync(http, "photos", 16 * 1024, ct),
            () => HeadlessChromium.DumpDomAndScreenshotAsync(
                $"http://{StatusPageFixture.ResticUser}:{StatusPageFixture.ResticPassword}@127.0.0.1:{fixture.Restic.Port}/_gateway/status",
                fixture.Screenshot("restic.png")));

        Assert.Equal("live", Text(dom, "state"));
        Assert.Equal("local " + fixture.ResticRoot, Text(dom, "backend"));
        Assert.Equal("restic REST (restic)", Text(dom, "frontend-description"));
        Assert.Equal("writes", Text(dom, "cache-mode"));
        Assert.True(Number(Text(dom, "requests-total")) >= 3, dom);
        Assert.True(Number(Text(dom, "cache-dirty")) >= 2, dom); // write-back waits 10 minutes
        Assert.NotEqual("0 B", Text(dom, "bytes-in-total"));
        Assert.Contains("<td>SaveObject</td>", dom, StringComparison.Ordinal);
        Assert.Matches(@"<tr data-repo=""photos""><td>photos</td><td class=""num"">\d[^<]*(KiB|MiB)</td>", dom);
        Assert.Matches(@"<td>400</td><td>POST</td><td class=""path"">/photos/data/a{64}</td>", dom);
        Assert.DoesNotContain("secret-query", dom, StringComparison.Ordinal);
        AssertPng(fixture.Screenshot("restic.png"));
    }

    [Fact]
    public async Task S3StatusPage_WhileUploadsRun_RendersTrafficOperationsAndErrors()
    {
        using var http = StatusPageFixture.PlainClient(fixture.S3);
        (await http.SendAsync(fixture.SignedS3(HttpMethod.Put, "/pictures", []))).EnsureSuccessStatusCode();
        (await http.SendAsync(fixture.SignedS3(HttpMethod.Put, "/pictures/first.bin", new byte[32 * 1024]))).EnsureSuccessStatusCode();

        // A wrong secret: 403 SignatureDoesNotMatch, listed without its query string.
        var forged = fixture.SignedS3(HttpMethod.Put, "/pictures/forged.bin", [1, 2, 3], secret: "wrong-secret");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/_gateway/status.json")).StatusCode);

        var uploads = 0;
        var dom = await WithUploadsRunningAsync(
            async ct =>
            {
                var n = Interlocked.Increment(ref uploads);
                using var response = await http.SendAsync(fixture.SignedS3(HttpMethod.Put, $"/pictures/running-{n}.bin", new byte[8 * 1024]), ct);
                response.EnsureSuccessStatusCode();
            },
            () => HeadlessChromium.DumpDomAndScreenshotAsync(
                $"http://{StatusPageFixture.AccessKey}:{StatusPageFixture.SecretKey}@127.0.0.1:{fixture.S3.Port}/_gateway/status",
                fixture.Screenshot("s3.png")));

        Assert.Equal("live", Text(dom, "state"));
        Assert.Equal("local " + fixture.S3Root, Text(dom, "backend"));
        Assert.Equal("S3 (s3)", Text(dom, "frontend-description"));
        Assert.Equal("off", Text(dom, "cache-mode"));
        Assert.True(Number(Text(dom, "requests-total")) >= 3, dom);
        Assert.NotEqual("0 B", Text(dom, "bytes-in-total"));
        Assert.Contains("<td>PutObject</td>", dom, StringComparison.Ordinal);
        Assert.Matches(@"<td>403</td><td>PUT</td><td class=""path"">/pictures/forged.bin</td>", dom);
        Assert.Matches(@"<section class=""wide"" id=""repositories-section"" hidden="""">", dom); // restic only
        AssertPng(fixture.Screenshot("s3.png"));
    }

    /// <summary>Runs <paramref name="upload"/> in a loop until <paramref name="observe"/> returns.</summary>
    private static async Task<string> WithUploadsRunningAsync(Func<CancellationToken, Task> upload, Func<Task<string>> observe)
    {
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await upload(stop.Token);
                await Task.Delay(50, stop.Token);
            }
        });
        try
        {
            return await observe();
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static string Text(string dom, string id)
    {
        var match = Regex.Match(dom, $"id=\"{Regex.Escape(id)}\"[^>]*>([^<]*)<");
        Assert.True(match.Success, $"no element #{id} in the rendered page:\n{dom}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static double Number(string text) => double.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static void AssertPng(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.True(bytes.Length > 1000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);

        // IHDR: width and height, big-endian, right after the signature and the chunk header.
        Assert.Equal(1280, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)) > 0);
    }
}
