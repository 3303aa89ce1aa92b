using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>
/// What restic does not show directly, checked on the running process over HTTP: the idempotent
/// retry in append-only mode, rest-server's metric names, the access log, the quota.
/// </summary>
public sealed partial class ServeResticHttpTests
{
    [Fact]
    public async Task Post_AppendOnlySameBlobTwice_SecondIs200AndOtherContent403()
    {
        using var temp = new TempDir("http-append");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--no-auth", "--append-only");
        using var http = Client(server);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/?create=true", null)).StatusCode);

        var blob = RandomNumberGenerator.GetBytes(100_000);
        var name = Convert.ToHexStringLower(SHA256.HashData(blob));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/data/{name}", new ByteArrayContent(blob))).StatusCode);

        // A retried upload (restic retries after a lost response) must not fail the backup.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/data/{name}", new ByteArrayContent(blob))).StatusCode);
        var tampered = (byte[])blob.Clone();
        tampered[^1] ^= 0xff;
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync($"/data/{name}", new ByteArrayContent(tampered))).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync($"/data/{name}")).StatusCode);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/data/{name}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(blob.Length, head.Content.Headers.ContentLength);
        Assert.Equal(blob, File.ReadAllBytes(Path.Combine(temp.Path, "repo", "data", name[..2], name)));

        var lockName = Convert.ToHexStringLower(SHA256.HashData("lock"u8));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/locks/{lockName}", new ByteArrayContent("lock"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/locks/{lockName}")).StatusCode);
    }

    [Fact]
    public async Task Post_BodyNotMatchingName_Rejected400AndNothingStored()
    {
        using var temp = new TempDir("http-verify");
        var repo = temp.Dir("repo");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + repo, "--no-auth");
        using var http = Client(server);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/?create=true", null)).StatusCode);

        var name = Convert.ToHexStringLower(SHA256.HashData("something else"u8));
        var response = await http.PostAsync($"/data/{name}", new ByteArrayContent(RandomNumberGenerator.GetBytes(50_000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(repo, "data"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Metrics_AfterResticBackup_ExposeRestServerCounters()
    {
        using var temp = new TempDir("http-metrics");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice-pw");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 11, largeBytes: 1L << 20, smallFiles: 10);
        await using var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", htpasswd, "--prometheus");
        var restic = new ResticClient(server.ResticUrl("alice-repo", "alice", "alice-pw"), temp);
        await restic.MustAsync("init");
        await restic.MustAsync("backup", source);
        await restic.MustAsync("check", "--read-data");

        using var http = Client(server);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:alice-pw"u8));
        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE rest_server_blob_write_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"rest_server_blob_write_total\{[^}]*type=""data""[^}]*\} [1-9]", text);
        Assert.Matches(@"rest_server_blob_write_bytes_total\{[^}]*repo=""alice-repo""[^}]*type=""data""[^}]*\} [1-9]", text);
        Assert.Matches(@"rest_server_blob_read_total\{[^}]*type=""data""[^}]*\} [1-9]", text);
        Assert.Matches(@"rest_server_blob_read_bytes_total\{[^}]*user=""alice""[^}]*\} [1-9]", text);
    }

    [Fact]
    public async Task AccessLog_ResticInit_WritesCombinedFormatWithUser()
    {
        using var temp = new TempDir("http-log");
        var htpasswd = temp.Sub("htpasswd");
        var log = temp.Sub("access.log");
        await ApacheHtpasswd.AddShaAsync(htpasswd, "alice", "alice-pw");
        await using (var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", htpasswd, "--log", log))
        {
            await new ResticClient(server.ResticUrl("", "alice", "alice-pw"), temp).MustAsync("init");
            await new ResticClient(server.ResticUrl("", "alice", "wrong"), temp).MustFailAsync("snapshots");
        }

        var lines = File.ReadAllLines(log);
        Assert.Contains(lines, l => CombinedLine().Match(l) is { Success: true } m && m.Groups["user"].Value == "alice" && m.Groups["request"].Value.StartsWith("POST /keys/", StringComparison.Ordinal) && m.Groups["status"].Value == "200");
        Assert.Contains(lines, l => CombinedLine().Match(l) is { Success: true } m && m.Groups["status"].Value == "401");
        Assert.All(lines, l => Assert.DoesNotContain("alice-pw", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_OverMaxSize_FailsWith507AndStaysUnderQuota()
    {
        using var temp = new TempDir("http-quota");
        var repo = temp.Dir("repo");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 12, largeBytes: 6L << 20, smallFiles: 10);
        const long maxSize = 3L << 20;
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + repo, "--no-auth", "--max-size", "3M");
        var restic = new ResticClient(server.ResticUrl(), temp);
        await restic.MustAsync("init");

        var backup = await restic.MustFailAsync("backup", source);

        Assert.Contains("507", backup.Stdout + backup.Stderr, StringComparison.Ordinal);
        var used = Directory.GetFiles(repo, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(used <= maxSize, $"{used} bytes stored, quota is {maxSize}");
        Assert.False(server.HasExited, server.Stderr);
    }

    // No proxy, whatever the environment says: only 127.0.0.1 is ever contacted.
    private static HttpClient Client(GatewayServer server) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.BaseUrl) };

    // host ident user [time] "request" status bytes "referer" "user-agent"
    [GeneratedRegex("""^\S+ \S+ (?<user>\S+) \[[^\]]+\] "(?<request>[^"]*)" (?<status>\d{3}) (?:\d+|-) "[^"]*" "[^"]*"$""")]
    private static partial Regex CombinedLine();
}
