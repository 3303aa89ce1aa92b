using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>
/// --proxy-auth-username: the header is believed only from --trusted-proxy addresses, and the
/// server refuses to start without them (rest-server believes it from anyone).
/// </summary>
public sealed class ServeResticProxyAuthTests
{
    [Fact]
    public async Task Start_ProxyAuthWithoutTrustedProxy_RefusesWithReason()
    {
        using var temp = new TempDir("proxy-refuse");
        var result = await GatewayCli.RunAsync(["serve", "restic", "local:" + temp.Dir("repo"), "--proxy-auth-username", "X-User", "--addr", "127.0.0.1:0"]);

        Assert.False(result.Succeeded, result.Describe());
        Assert.Contains("--trusted-proxy", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_HeaderFromUntrustedAddress_Is401_FromTrustedNamesTheUser()
    {
        using var temp = new TempDir("proxy-auth");
        var repo = temp.Dir("repo");

        // 127.0.0.1 is not in 10.0.0.0/8: the header must count for nothing.
        await using (var untrusted = await GatewayServer.StartAsync("serve", "restic", "local:" + repo, "--proxy-auth-username", "X-User", "--trusted-proxy", "10.0.0.0/8"))
        {
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, untrusted.BaseUrl + "/alice/?create=true");
            request.Headers.Add("X-User", "alice");
            using var response = await client.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(repo));

        await using var trusted = await GatewayServer.StartAsync("serve", "restic", "local:" + repo, "--proxy-auth-username", "X-User", "--trusted-proxy", "127.0.0.1,::1");
        using var http = new HttpClient();
        using var withHeader = new HttpRequestMessage(HttpMethod.Post, trusted.BaseUrl + "/alice/?create=true");
        withHeader.Headers.Add("X-User", "alice");
        using var created = await http.SendAsync(withHeader);
        using var withoutHeader = await http.PostAsync(trusted.BaseUrl + "/bob/?create=true", null);

        Assert.Equal(System.Net.HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, withoutHeader.StatusCode);
        Assert.True(Directory.Exists(Path.Combine(repo, "alice", "keys")));
        Assert.False(Directory.Exists(Path.Combine(repo, "bob")));
    }
}
