using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>Like rest-server, the gateway refuses to serve without credentials unless told --no-auth.</summary>
public sealed class ServeResticStartupTests
{
    [Fact]
    public async Task Serve_NoHtpasswdAndNoNoAuth_ExitsNonZeroWithMessage()
    {
        using var temp = new TempDir("no-creds");
        var result = await GatewayCli.RunAsync(["serve", "restic", "local:" + temp.Dir("repo"), "--addr", "127.0.0.1:0"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("htpasswd", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--no-auth", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingHtpasswdFile_ExitsNonZeroWithMessage()
    {
        using var temp = new TempDir("missing-htpasswd");
        var missing = temp.Sub("does-not-exist.htpasswd");
        var result = await GatewayCli.RunAsync(["serve", "restic", "local:" + temp.Dir("repo"), "--addr", "127.0.0.1:0", "--htpasswd-file", missing]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("does-not-exist.htpasswd", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_HtpasswdInLocalRoot_UsedByDefault()
    {
        // rest-server reads .htpasswd from its data directory when no file is given.
        using var temp = new TempDir("default-htpasswd");
        var root = temp.Dir("repo");
        await ApacheHtpasswd.AddBcryptAsync(Path.Combine(root, ".htpasswd"), "alice", "alice-pw");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + root);

        await new ResticClient(server.ResticUrl("r", "alice", "alice-pw"), temp).MustAsync("init");
        var wrong = await new ResticClient(server.ResticUrl("r", "alice", "nope"), temp).MustFailAsync("snapshots");
        Assert.Contains("401", wrong.Stderr, StringComparison.Ordinal);
    }
}
