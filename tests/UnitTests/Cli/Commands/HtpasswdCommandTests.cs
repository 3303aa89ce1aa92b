using VfsGateway.Frontends.Http.Auth;
using VfsGateway.UnitTests.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Cli.Commands;

public sealed class HtpasswdCommandTests
{
    [Fact]
    public async Task Add_PasswordFromStdin_CreatesBcryptEntry()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        var harness = new CliHarness { Input = "s3cret pass\n" };

        var code = await harness.RunAsync("htpasswd", "add", file, "alice", "--cost", "4");

        Assert.Equal(0, code);
        Assert.Equal("Adding password for user alice" + Environment.NewLine, harness.Error.Text);
        var line = Assert.Single(File.ReadAllLines(file));
        Assert.StartsWith("alice:$2", line, StringComparison.Ordinal);
        Assert.True(BcryptHash.Verify("s3cret pass", line["alice:".Length..]));
    }

    [Fact]
    public async Task Add_ExistingUser_UpdatesPasswordAndKeepsOthers()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        await new CliHarness { Input = "one\n" }.RunAsync("htpasswd", "add", file, "alice", "--cost", "4");
        await new CliHarness { Input = "two\n" }.RunAsync("htpasswd", "add", file, "bob", "--cost", "4");
        var harness = new CliHarness { Input = "three\n" };

        Assert.Equal(0, await harness.RunAsync("htpasswd", "add", file, "alice", "--cost", "4", "--password-stdin"));

        Assert.Contains("Updating password for user alice", harness.Error.Text, StringComparison.Ordinal);
        var entries = File.ReadAllLines(file).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["alice", "bob"], entries.Keys.Order());
        Assert.True(BcryptHash.Verify("three", entries["alice"]));
        Assert.True(BcryptHash.Verify("two", entries["bob"]));
    }

    [Fact]
    public async Task Add_Interactive_PromptsTwiceWithoutEcho()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        var harness = new CliHarness { Interactive = true, Input = "must not be read\n" };
        harness.SecretLines.Enqueue("tty-pass");
        harness.SecretLines.Enqueue("tty-pass");

        Assert.Equal(0, await harness.RunAsync("htpasswd", "add", file, "carol", "--cost", "4"));

        Assert.Contains("New password: ", harness.Error.Text, StringComparison.Ordinal);
        Assert.Contains("Re-type new password: ", harness.Error.Text, StringComparison.Ordinal);
        Assert.True(BcryptHash.Verify("tty-pass", File.ReadAllText(file).Trim()["carol:".Length..]));
    }

    [Fact]
    public async Task Add_InteractiveMismatch_ExitsOneAndWritesNothing()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        var harness = new CliHarness { Interactive = true };
        harness.SecretLines.Enqueue("a");
        harness.SecretLines.Enqueue("b");

        Assert.Equal(1, await harness.RunAsync("htpasswd", "add", file, "carol"));

        Assert.EndsWith("gateway: the passwords do not match" + Environment.NewLine, harness.Error.Text, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Add_EmptyStdin_ExitsOne()
    {
        using var dir = new TempDir();
        var harness = new CliHarness { Input = string.Empty };

        Assert.Equal(1, await harness.RunAsync("htpasswd", "add", dir.Sub("h"), "dave"));

        Assert.Equal("gateway: no password on stdin (give it as one line)" + Environment.NewLine, harness.Error.Text);
    }

    [Fact]
    public async Task ListAndRemove_WorkOnExistingFile()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        File.WriteAllText(file, "# users\nalice:$2y$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234\nbob:{SHA}x\n");

        var list = new CliHarness();
        Assert.Equal(0, await list.RunAsync("htpasswd", "list", file));
        Assert.Equal("alice" + Environment.NewLine + "bob" + Environment.NewLine, list.Out.Text);

        var remove = new CliHarness();
        Assert.Equal(0, await remove.RunAsync("htpasswd", "remove", file, "alice"));
        Assert.Equal("Deleting password for user alice" + Environment.NewLine, remove.Error.Text);
        Assert.Equal("# users\nbob:{SHA}x\n", File.ReadAllText(file).ReplaceLineEndings("\n"));

        var missing = new CliHarness();
        Assert.Equal(1, await missing.RunAsync("htpasswd", "remove", file, "alice"));
        Assert.Equal($"gateway: user 'alice' is not in '{file}'" + Environment.NewLine, missing.Error.Text);
    }

    [Fact]
    public async Task Remove_MissingFile_ExitsOne()
    {
        using var dir = new TempDir();
        var harness = new CliHarness();

        Assert.Equal(1, await harness.RunAsync("htpasswd", "remove", dir.Sub("none"), "alice"));

        Assert.Equal($"gateway: htpasswd file '{dir.Sub("none")}' does not exist" + Environment.NewLine, harness.Error.Text);
    }
}
