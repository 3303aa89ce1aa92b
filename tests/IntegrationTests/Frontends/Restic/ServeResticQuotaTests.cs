using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>
/// Quotas of the --acl file (rest-server #305) with the real restic: a user over their quota
/// fails `restic backup` with a 507 that names the limit, another user on the same server is not
/// affected, and parallel uploads against a repository quota store exactly what fits.
/// </summary>
public sealed class ServeResticQuotaTests
{
    [Fact]
    public async Task Backup_OverUserQuota_507NamesTheLimit_OtherUserUnaffected_ParallelUploadsExact()
    {
        using var temp = new TempDir("quota");
        var root = temp.Dir("root");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice-pw");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "bob", "bob-pw");
        var acl = temp.Sub("acl");
        File.WriteAllText(acl, "allow * modify /{user}\nquota user alice 2M\nquota repo /bob/par 1M\n");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 21, largeBytes: 4L << 20, smallFiles: 10);

        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + root, "--htpasswd-file", htpasswd, "--acl", acl);
        var alice = new ResticClient(server.ResticUrl("alice/laptop", "alice", "alice-pw"), temp);
        var bob = alice.WithRepository(server.ResticUrl("bob/laptop", "bob", "bob-pw"), temp);
        await alice.MustAsync("init");
        await bob.MustAsync("init");

        var refused = await alice.MustFailAsync("backup", source);
        await bob.MustAsync("backup", source);

        Assert.Contains("507 Insufficient Storage: the upload exceeds the quota of user alice (2 MiB)", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.True(SizeBelow(root, "alice") <= 2L << 20, $"{SizeBelow(root, "alice")} bytes below /alice");
        Assert.True(SizeBelow(root, "bob") > 2L << 20, $"{SizeBelow(root, "bob")} bytes below /bob");
        Assert.False(server.HasExited, server.Stderr);

        // 20 parallel uploads of 200,000 bytes against 1 MiB: what is stored is exactly what
        // succeeded, and the rest of the limit is exactly what still fits.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:bob-pw")));
        using (var create = await client.PostAsync(new Uri("/bob/par/?create=true", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        }

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => PostAsync(client, 200_000, i)));
        var stored = SizeBelow(root, "bob/par");
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK) * 200_000L, stored);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.InsufficientStorage, s.ToString()));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, (int)((1L << 20) - stored), 100));
        Assert.Equal(HttpStatusCode.InsufficientStorage, await PostAsync(client, 1, 101));
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        using var content = new ByteArrayContent(bytes);
        using var response = await client.PostAsync(new Uri($"/bob/par/data/{Convert.ToHexStringLower(SHA256.HashData(bytes))}", UriKind.Relative), content);
        return response.StatusCode;
    }

    private static long SizeBelow(string root, string folder) =>
        Directory.GetFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
