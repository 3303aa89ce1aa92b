using VfsGateway.Cli.Remotes;
using VfsGateway.UnitTests.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Cli.Commands;

public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string ConfigPath => _dir.Sub("gateway.conf");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Create_SecretOption_StoredObscuredMode0600AndServerRevealsIt()
    {
        var harness = new CliHarness();

        var code = await harness.RunAsync("config", "create", "nas", "fake", "host=example.org", "port=2222", "password=s3cret #1", "--config", ConfigPath);

        Assert.Equal(0, code);
        Assert.Contains("Created remote [nas]", harness.Error.Text, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(ConfigPath);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("host = example.org", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        }

        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
        var resolver = new RemoteResolver(harness.Backends.Registry, _ => null, () => IniFile.Load(ConfigPath));
        var config = resolver.Resolve("nas:data", _ => new Dictionary<string, string>()).Config;
        Assert.Equal("s3cret #1", config.Get("password"));
        Assert.Equal("2222", config.Get("port"));
        Assert.Equal("example.org", config.Get("host"));
    }

    [Fact]
    public async Task CreateShowDelete_KeepsOtherSectionsAndComments()
    {
        await File.WriteAllTextAsync(ConfigPath, "# my remotes\n[keep]\ntype = memory\n");
        var harness = new CliHarness { Env = { ["GATEWAY_CONFIG"] = ConfigPath } };

        Assert.Equal(0, await harness.RunAsync("config", "create", "nas", "fake", "host=a", "password=pw"));
        Assert.Equal(0, await harness.RunAsync("config", "create", "nas", "fake", "host=b", "key-file= /k "));
        Assert.Equal(0, await harness.RunAsync("config", "show"));

        Assert.Contains("Replaced remote [nas]", harness.Error.Text, StringComparison.Ordinal);
        Assert.Equal("[keep]\ntype = memory\n\n[nas]\ntype = fake\nhost = b\nkey_file =  /k \n", harness.Out.Text.ReplaceLineEndings("\n"));
        var file = IniFile.Load(ConfigPath);
        Assert.True(file.TryGetSection("nas", out var nas));
        Assert.Equal(" /k ", nas["key_file"]);

        var delete = new CliHarness { Env = { ["GATEWAY_CONFIG"] = ConfigPath } };
        Assert.Equal(0, await delete.RunAsync("config", "delete", "nas"));
        Assert.Equal("# my remotes\n[keep]\ntype = memory\n", await File.ReadAllTextAsync(ConfigPath));
    }

    [Fact]
    public async Task Show_Secret_Masked()
    {
        var harness = new CliHarness();
        await harness.RunAsync("config", "create", "nas", "fake", "host=h", "password=topsecret", "--config", ConfigPath);

        Assert.Equal(0, await harness.RunAsync("config", "show", "nas", "--config", ConfigPath));

        Assert.Contains("password = *** (secret)", harness.Out.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", harness.Out.Text + harness.Error.Text, StringComparison.Ordinal);
        var obscured = IniFile.Load(ConfigPath).TryGetSection("nas", out var s) ? s["password"] : null;
        Assert.DoesNotContain(obscured!, harness.Out.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fak", "unknown backend type 'fak' (did you mean fake?)")]
    [InlineData("fake", "backend 'fake' has no option 'hots' (did you mean host?)")]
    public async Task Create_UnknownTypeOrKey_UsageErrorNamingNearest(string type, string message)
    {
        var harness = new CliHarness();

        var code = await harness.RunAsync("config", "create", "nas", type, "hots=x", "--config", ConfigPath);

        Assert.Equal(2, code);
        Assert.Contains(message, harness.Error.Text, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task Create_NoObscure_KeepsObscuredValue()
    {
        var harness = new CliHarness();

        Assert.Equal(0, await harness.RunAsync("config", "create", "nas", "fake", "password=YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw", "--no-obscure", "--config", ConfigPath));

        Assert.Contains("password = YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw", await File.ReadAllTextAsync(ConfigPath), StringComparison.Ordinal);
        Assert.Equal(2, await new CliHarness().RunAsync("config", "create", "nas", "fake", "password=plain+text", "--no-obscure", "--config", ConfigPath));
    }

    [Fact]
    public async Task Delete_Missing_ExitsOne()
    {
        var harness = new CliHarness();

        Assert.Equal(1, await harness.RunAsync("config", "delete", "nope", "--config", ConfigPath));
        Assert.Contains("no remote [nope]", harness.Error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Obscure_ArgumentStdinAndReveal_RoundTrip()
    {
        var arg = new CliHarness();
        Assert.Equal(0, await arg.RunAsync("obscure", "potato"));
        var stdin = new CliHarness { Input = "potato\n" };
        Assert.Equal(0, await stdin.RunAsync("obscure", "-"));
        var flag = new CliHarness { Input = "potato\n", Interactive = true };
        Assert.Equal(0, await flag.RunAsync("obscure", "--password-stdin"));

        foreach (var obscured in new[] { arg.Out.Text.Trim(), stdin.Out.Text.Trim(), flag.Out.Text.Trim() })
        {
            var reveal = new CliHarness();
            Assert.Equal(0, await reveal.RunAsync("reveal", obscured));
            Assert.Equal("potato", reveal.Out.Text.Trim());
        }

        var known = new CliHarness();
        Assert.Equal(0, await known.RunAsync("reveal", "YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ"));
        Assert.Equal("potato", known.Out.Text.Trim());
        Assert.Equal(1, await new CliHarness().RunAsync("reveal", "not+obscured"));
    }
}
