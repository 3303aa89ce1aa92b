using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>Basic auth against htpasswd files written by Apache's own `htpasswd` (bcrypt $2y$, {SHA}, $apr1$).</summary>
public sealed class ServeResticHtpasswdTests
{
    [Fact]
    public async Task Backup_BcryptShaAndApr1UsersWithRightPasswords_Succeed()
    {
        using var temp = new TempDir("htpasswd-ok");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice secret: with colon");
        await ApacheHtpasswd.AddShaAsync(htpasswd, "bob", "b0b-pässwörd");
        await ApacheHtpasswd.AddApr1Async(htpasswd, "carol", "carol%pw");
        Assert.Contains("alice:$2y$", File.ReadAllText(htpasswd), StringComparison.Ordinal);
        Assert.Contains("bob:{SHA}", File.ReadAllText(htpasswd), StringComparison.Ordinal);
        Assert.Contains("carol:$apr1$", File.ReadAllText(htpasswd), StringComparison.Ordinal);
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 6, largeBytes: 1L << 20, smallFiles: 20);
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", htpasswd);

        foreach (var (user, password) in new[] { ("alice", "alice secret: with colon"), ("bob", "b0b-pässwörd"), ("carol", "carol%pw") })
        {
            var restic = new ResticClient(server.ResticUrl("repo-of-" + user, user, password), temp);
            await restic.MustAsync("init");
            await restic.MustAsync("backup", source);
            await restic.MustAsync("check", "--read-data");
        }
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("bob", "wrong")]
    [InlineData("alice", "")]
    [InlineData("mallory", "alice-pw")]
    public async Task Snapshots_WrongCredentials_Fail401(string user, string password)
    {
        using var temp = new TempDir("htpasswd-bad");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice-pw");
        await ApacheHtpasswd.AddShaAsync(htpasswd, "bob", "bob-pw");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", htpasswd);
        await new ResticClient(server.ResticUrl("", "alice", "alice-pw"), temp).MustAsync("init");

        var result = await new ResticClient(server.ResticUrl("", user, password), temp).MustFailAsync("snapshots");
        Assert.Contains("401", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshots_NoCredentials_Fail401()
    {
        using var temp = new TempDir("htpasswd-none");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice-pw");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", htpasswd);

        var result = await new ResticClient(server.ResticUrl(), temp).MustFailAsync("init");
        Assert.Contains("401", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshots_UserAddedWhileRunning_AcceptedAfterSighup()
    {
        using var temp = new TempDir("htpasswd-reload");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice-pw");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", htpasswd);
        await new ResticClient(server.ResticUrl("", "alice", "alice-pw"), temp).MustAsync("init");
        var carol = new ResticClient(server.ResticUrl("", "carol", "carol-pw"), temp);
        await carol.MustFailAsync("snapshots");

        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "carol", "carol-pw");
        await server.SignalAsync("HUP");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        ProcessResult result;
        while (!(result = await carol.RunAsync("snapshots")).Succeeded && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(result.Succeeded, "carol was not accepted after the htpasswd file changed and SIGHUP: " + result.Describe());
        Assert.False(server.HasExited, "SIGHUP must reload credentials, not stop the server: " + server.Stderr);
    }
}
