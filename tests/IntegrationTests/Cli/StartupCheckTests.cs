using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>The remote's root is checked before serving: a local root that is a file stops the start with one line naming it.</summary>
public sealed class StartupCheckTests
{
    [Theory]
    [InlineData("restic")]
    [InlineData("s3")]
    public async Task Serve_LocalRootIsAFile_RefusedAtStartupWithOneLine(string frontend)
    {
        using var temp = new TempDir("root-is-file");
        var file = temp.Sub("not-a-dir");
        await File.WriteAllTextAsync(file, "x");

        var result = await GatewayCli.RunAsync(["serve", frontend, "--no-auth", "--addr", "127.0.0.1:0", file], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"gateway: cannot serve remote 'local:{file}': its root '{file}' cannot be used: it is a file, not a directory", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("x", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Serve_LocalRootMissing_IsCreated()
    {
        using var temp = new TempDir("root-missing");
        var root = Path.Combine(temp.Path, "a", "b");

        await using var server = await GatewayServer.StartAsync("serve", "s3", "--no-auth", root);

        Assert.True(Directory.Exists(root), server.Stderr);
    }
}
