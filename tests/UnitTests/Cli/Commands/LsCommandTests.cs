using VfsGateway.Cli.Commands;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Cli.Commands;

public sealed class LsCommandTests
{
    [Fact]
    public async Task Ls_ListsEveryFileRecursivelySortedWithSizes()
    {
        var harness = Seeded();

        var code = await harness.RunAsync("ls", ":fake,host=h:");

        Assert.Equal(0, code);
        Assert.Equal(["        1 a/inner.bin", "        5 b.txt", "        0 c"], Lines(harness));
    }

    [Fact]
    public async Task Lsl_AddsModificationTimes_MaxDepthLimitsLevels()
    {
        var harness = Seeded();

        Assert.Equal(0, await harness.RunAsync("lsl", "--max-depth", "1", ":fake,host=h:"));

        Assert.Equal(["        5 2024-05-06 07:08:09 b.txt", "        0 2024-05-06 07:08:09 c"], Lines(harness));
    }

    [Fact]
    public async Task Lsd_ListsDirectoriesOneLevel_RecursiveListsAll()
    {
        var oneLevel = Seeded();
        oneLevel.Backends.Seed["a/deeper/f"] = "f";
        var all = Seeded();
        all.Backends.Seed["a/deeper/f"] = "f";

        Assert.Equal(0, await oneLevel.RunAsync("lsd", ":fake,host=h:"));
        Assert.Equal(0, await all.RunAsync("lsd", "-R", ":fake,host=h:"));

        Assert.Matches(@"^          -1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d        -1 a$", Assert.Single(Lines(oneLevel)));
        Assert.Equal(2, Lines(all).Length);
        Assert.EndsWith(" a/deeper", Lines(all)[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cat_Directory_OneLineErrorExitOne()
    {
        var harness = Seeded();

        Assert.Equal(1, await harness.RunAsync("cat", ":fake,host=h:a"));

        Assert.Equal("gateway: ':fake:a' is a directory, not a file" + Environment.NewLine, harness.Error.Text);
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
        using var dir = new TempDir();
        var conf = dir.Sub("gateway.conf");
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
    public void FormatLine_LargeFile_WidensSizeAndPrintsUtcAndPath()
    {
        var entry = Entry.File(VfsPath.Parse("d/pack"), 123456789012, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        Assert.Equal("123456789012 2024-01-02 01:04:05 d/pack", LsCommand.FormatLine(entry));
    }

    private static CliHarness Seeded()
    {
        var harness = new CliHarness();
        harness.Backends.Seed["b.txt"] = "hello";
        harness.Backends.Seed["a/inner.bin"] = "x";
        harness.Backends.Seed["c"] = string.Empty;
        return harness;
    }

    private static string[] Lines(CliHarness harness) => harness.Out.Text.TrimEnd().Split(Environment.NewLine);
}
