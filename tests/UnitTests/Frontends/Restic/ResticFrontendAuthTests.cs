using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Restic;
using VfsGateway.UnitTests.Frontends.Http.Auth;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendAuthTests : IDisposable
{
    private const string Htpasswd =
        "alice:$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSaO\n" +   // "alice pw"
        "bob:$2y$04$BpS2kw1LmsZOizUeJZUarudJwpiIuNYDtUp53/byJmHg0UwjnE0/e\n";      // "bob pw"

    private readonly TempDir _dir = new();

    [Fact]
    public async Task Start_WithoutHtpasswdOrNoAuth_RefusesWithActionableMessage()
    {
        var frontend = new ResticFrontend(new VirtualFileSystem(new MemoryBackend(new(VfsPath.Root))), new ResticOptions(), NullLoggerFactory.Instance);

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => frontend.StartAsync(CancellationToken.None));

        Assert.Contains("--htpasswd", e.Message, StringComparison.Ordinal);
        Assert.Contains("--no-auth", e.Message, StringComparison.Ordinal);
        Assert.Contains("gateway htpasswd add", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HtpasswdFileMissing_Refuses()
    {
        await Assert.ThrowsAsync<GatewayStartupException>(() => ResticTestHost.StartAsync(new ResticOptions { HtpasswdFile = _dir.Sub("missing") }));
    }

    [Fact]
    public async Task Request_WithoutCredentials_Returns401WithChallenge()
    {
        await using var host = await StartAsync(new ResticOptions());

        using var response = await host.SendAsync(HttpMethod.Get, "/repo/config");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"restic\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "alice pw")]
    [InlineData("alice!", "alice pw")]
    public async Task Request_WithBadCredentials_Returns401AndTouchesNothing(string user, string password)
    {
        await using var host = await StartAsync(new ResticOptions());

        using var response = await host.SendAsync(HttpMethod.Post, "/repo/config", [1], r => r.Headers.Authorization = ResticTestHost.Basic(user, password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }

    [Fact]
    public async Task Request_WithGoodCredentials_IsServedAndNamesTheUser()
    {
        await using var host = await StartAsync(new ResticOptions());

        using var response = await host.SendAsync(HttpMethod.Post, "/repo/config", [1], r => r.Headers.Authorization = ResticTestHost.Basic("alice", "alice pw"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", host.LastUser);
    }

    [Fact]
    public async Task Requests_NeverLogPasswordsOrAuthorization()
    {
        await using var host = await StartAsync(new ResticOptions { PrivateRepos = true });
        var header = ResticTestHost.Basic("alice", "alice pw");

        using var ok = await host.SendAsync(HttpMethod.Post, "/alice/config", [1], r => r.Headers.Authorization = header);
        using var bad = await host.SendAsync(HttpMethod.Get, "/bob/config", null, r => r.Headers.Authorization = ResticTestHost.Basic("alice", "wrong pw"));
        using var denied = await host.SendAsync(HttpMethod.Get, "/bob/config", null, r => r.Headers.Authorization = header);

        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("alice pw", StringComparison.Ordinal) || l.Contains("wrong pw", StringComparison.Ordinal) || l.Contains(header.Parameter!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/bob/config")]
    [InlineData("/bob/sub/config")]
    [InlineData("/config")]
    [InlineData("/alicex/config")]
    [InlineData("/")]
    [InlineData("/keys/")]
    public async Task PrivateRepos_OtherUsersRepository_Returns401(string url)
    {
        await using var host = await StartAsync(new ResticOptions { PrivateRepos = true });

        using var response = await host.SendAsync(HttpMethod.Get, url, null, r => r.Headers.Authorization = ResticTestHost.Basic("alice", "alice pw"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/alice/?create=true", "alice/data/00")]
    [InlineData("/alice/photos/?create=true", "alice/photos/data/ff")]
    public async Task PrivateRepos_OwnRepository_IsServed(string url, string created)
    {
        await using var host = await StartAsync(new ResticOptions { PrivateRepos = true });

        using var response = await host.SendAsync(HttpMethod.Post, url, null, r => r.Headers.Authorization = ResticTestHost.Basic("alice", "alice pw"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await host.ExistsAsync(created));
    }

    [Fact]
    public async Task PrivateRepos_EncodedSlashCannotSmuggleAnotherUsersPath()
    {
        await using var host = await StartAsync(new ResticOptions { PrivateRepos = true });
        var auth = ResticTestHost.Basic("alice", "alice pw");

        var context = await host.SendRawAsync("POST", "/alice%2F..%2Fbob/config", "/alice%2F..%2Fbob/config", auth);

        Assert.Equal(404, context.Response.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }

    public void Dispose() => _dir.Dispose();

    private Task<ResticTestHost> StartAsync(ResticOptions options)
    {
        File.WriteAllText(_dir.Sub("htpasswd"), Htpasswd);
        return ResticTestHost.StartAsync(options with { HtpasswdFile = _dir.Sub("htpasswd") });
    }
}
