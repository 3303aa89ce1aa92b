using VfsGateway.Cli;
using VfsGateway.Cli.Remotes;
using VfsGateway.UnitTests.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Cli.Remotes;

public sealed class ConfigFileLocatorTests
{
    [Fact]
    public void Locate_Flag_WinsOverEnvironment()
    {
        var env = new Dictionary<string, string> { ["GATEWAY_CONFIG"] = "/env.conf", ["HOME"] = "/home/u" };
        Assert.Equal(("/flag.conf", true), ConfigFileLocator.Locate("/flag.conf", env.GetValueOrDefault));
    }

    [Fact]
    public void Locate_EnvironmentVariable_WinsOverDefault()
    {
        var env = new Dictionary<string, string> { ["GATEWAY_CONFIG"] = "/env.conf", ["HOME"] = "/home/u" };
        Assert.Equal(("/env.conf", true), ConfigFileLocator.Locate(null, env.GetValueOrDefault));
    }

    [Fact]
    public void Locate_Default_IsUnderXdgConfigHomeThenHome()
    {
        var xdg = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "/xdg", ["HOME"] = "/home/u" };
        var home = new Dictionary<string, string> { ["HOME"] = "/home/u" };

        Assert.Equal(("/xdg/gateway/gateway.conf", false), ConfigFileLocator.Locate(null, xdg.GetValueOrDefault));
        Assert.Equal(("/home/u/.config/gateway/gateway.conf", false), ConfigFileLocator.Locate(null, home.GetValueOrDefault));
    }

    [Fact]
    public void Load_MissingDefault_IsEmpty_MissingExplicit_IsError()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { ["HOME"] = dir.Path };

        var empty = ConfigFileLocator.Load(null, env.GetValueOrDefault);
        Assert.Empty(empty.SectionNames);

        var e = Assert.Throws<CliException>(() => ConfigFileLocator.Load(dir.Sub("nope.conf"), env.GetValueOrDefault));
        Assert.Contains("nope.conf", e.Message, StringComparison.Ordinal);
        Assert.Contains("--config", e.Message, StringComparison.Ordinal);

        env["GATEWAY_CONFIG"] = dir.Sub("env.conf");
        var fromEnv = Assert.Throws<CliException>(() => ConfigFileLocator.Load(null, env.GetValueOrDefault));
        Assert.Contains("$GATEWAY_CONFIG", fromEnv.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DefaultFileUnderHome_IsRead()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, ".config", "gateway"));
        File.WriteAllText(Path.Combine(dir.Path, ".config", "gateway", "gateway.conf"), "[box]\ntype = memory\n");
        var env = new Dictionary<string, string> { ["HOME"] = dir.Path };

        var ini = ConfigFileLocator.Load(null, env.GetValueOrDefault);

        Assert.True(ini.TryGetSection("box", out var box));
        Assert.Equal("memory", box["type"]);
    }
}
