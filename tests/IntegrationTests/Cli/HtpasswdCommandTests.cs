using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>`gateway htpasswd add|remove|list` writes files that Apache's htpasswd and the gateway both accept.</summary>
public sealed class HtpasswdCommandTests
{
    [Fact]
    public async Task Add_NewFile_ApacheHtpasswdVerifiesAndResticAuthenticates()
    {
        using var temp = new TempDir("cli-htpasswd");
        var file = temp.Sub("htpasswd");
        await AddAsync(file, "alice", "alice pw:1");
        await AddAsync(file, "bob", "bøb-pw");

        Assert.True((await ApacheHtpasswd.VerifyAsync(file, "alice", "alice pw:1")).Succeeded, File.ReadAllText(file));
        Assert.True((await ApacheHtpasswd.VerifyAsync(file, "bob", "bøb-pw")).Succeeded, File.ReadAllText(file));
        Assert.False((await ApacheHtpasswd.VerifyAsync(file, "alice", "wrong")).Succeeded);

        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--htpasswd-file", file);
        await new ResticClient(server.ResticUrl("", "alice", "alice pw:1"), temp).MustAsync("init");
        await new ResticClient(server.ResticUrl("", "bob", "bøb-pw"), temp).MustAsync("snapshots");
        var wrong = await new ResticClient(server.ResticUrl("", "alice", "bøb-pw"), temp).MustFailAsync("snapshots");
        Assert.Contains("401", wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddListRemove_ExistingApacheFile_KeepsOtherEntries()
    {
        using var temp = new TempDir("cli-htpasswd-edit");
        var file = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddShaAsync(file, "legacy", "legacy-pw");
        await AddAsync(file, "alice", "alice-pw");

        var list = await GatewayCli.RunAsync(["htpasswd", "list", file]);
        Assert.True(list.Succeeded, list.Describe());
        Assert.Contains("legacy", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("$2", list.Stdout, StringComparison.Ordinal);

        await AddAsync(file, "alice", "changed-pw");
        Assert.True((await ApacheHtpasswd.VerifyAsync(file, "alice", "changed-pw")).Succeeded, File.ReadAllText(file));
        Assert.Single(File.ReadAllLines(file), l => l.StartsWith("alice:", StringComparison.Ordinal));

        var remove = await GatewayCli.RunAsync(["htpasswd", "remove", file, "alice"]);
        Assert.True(remove.Succeeded, remove.Describe());
        Assert.DoesNotContain(File.ReadAllLines(file), l => l.StartsWith("alice:", StringComparison.Ordinal));
        Assert.True((await ApacheHtpasswd.VerifyAsync(file, "legacy", "legacy-pw")).Succeeded, File.ReadAllText(file));
    }

    private static async Task AddAsync(string file, string user, string password)
    {
        var result = await GatewayCli.RunAsync(["htpasswd", "add", file, user, "--password-stdin"], standardInput: password + "\n");
        Assert.True(result.Succeeded, result.Describe());
        Assert.DoesNotContain(password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
