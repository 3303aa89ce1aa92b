using VfsGateway.Cli.Commands;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Cli.Commands;

public sealed class LsCommandTests
{
    [Fact]
    public async Task Ls_ListsRootSortedWithSizesTimesAndDirectorySlashes()
    {
        var harness = new CliHarness();
        harness.Backends.Seed["b.txt"] = "hello";
        harness.Backends.Seed["a/inner.bin"] = "x";
        harness.Backends.Seed["c"] = string.Empty;

        var code = await harness.RunAsync("ls", ":fake,host=h:");

        Assert.Equal(0, code);
        var lines = harness.Out.Text.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^           - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d a/$", lines[0]);
        Assert.Equal("           5 2024-05-06 07:08:09 b.txt", lines[1]);
        Assert.Equal("           0 2024-05-06 07:08:09 c", lines[2]);
    }

    [Fact]
    public async Task Ls_PassesFlagsEnvAndInlineOptionsToTheBackend()
    {
        var harness = new CliHarness();
        harness.Env["GATEWAY_FAKE_KEY_FILE"] = "/env/key";

        var code = await harness.RunAsync("ls", "--fake-port", "2222", "--fake-fast-mode", ":fake,host=inline:sub");

        Assert.Equal(0, code);
        var config = Assert.Single(harness.Backends.Created);
        Assert.Equal("sub", config.Root);
        Assert.Equal("inline", config.Get("host"));
        Assert.Equal("2222", config.Get("port"));
        Assert.Equal("true", config.Get("fast_mode"));
        Assert.Equal("/env/key", config.Get("key_file"));
    }

    [Fact]
    public async Task Ls_NamedRemoteFromConfigFile()
    {
        using var dir = new VfsGateway.UnitTests.Frontends.Http.Hosting.TempDirectory();
        var conf = dir.File("gateway.conf");
        File.WriteAllText(conf, "[box]\ntype = fake\nhost = from-file\nport = 1001\nfast_mode = true\n");
        var harness = new CliHarness();
        harness.Env["GATEWAY_CONFIG"] = conf;

        Assert.Equal(0, await harness.RunAsync("ls", "box:x"));

        // Flags that were not given must not override the file with their help defaults (22, false).
        var config = Assert.Single(harness.Backends.Created);
        Assert.Equal("from-file", config.Get("host"));
        Assert.Equal("1001", config.Get("port"));
        Assert.Equal("true", config.Get("fast_mode"));
        Assert.Equal("x", config.Root);
    }

    [Fact]
    public void FormatLine_LargeFile_RightAlignsSize()
    {
        var entry = Entry.File(VfsPath.Parse("d/pack"), 123456789012, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        Assert.Equal("123456789012 2024-01-02 01:04:05 pack", LsCommand.FormatLine(entry));
    }
}
