using VfsGateway.Cli;
using VfsGateway.Cli.Remotes;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.UnitTests.Cli.Remotes;

public sealed class RemoteResolverTests
{
    private const string ConfigText = """
        [nas]
        type = fake
        host = from-file
        port = 1001
        key_file = /file/key

        [memory]
        type = fake
        host = shadowing-memory

        [notype]
        host = x

        [badtype]
        type = nosuch

        [badoption]
        type = fake
        colour = blue
        """;

    private readonly TestRegistry _backends = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _flags = new(StringComparer.Ordinal);

    [Fact]
    public void Resolve_SectionOnly_TakesFileValuesAndDefaults()
    {
        var config = Resolve("nas:backup").Config;

        Assert.Equal("fake", config.Registration.Name);
        Assert.Equal("backup", config.Root);
        Assert.Equal("from-file", config.Get("host"));
        Assert.Equal("1001", config.Get("port"));
        Assert.Equal("hunter2-default", config.Get("password"));
        Assert.False(config.IsSet("password"));
    }

    [Fact]
    public void Resolve_Precedence_InlineBeatsFlagBeatsEnvBeatsFileBeatsDefault()
    {
        // port: set at every level; key_file: env and file; host: flag, env and file; fast_mode: default only.
        _env["GATEWAY_FAKE_PORT"] = "2002";
        _env["GATEWAY_FAKE_HOST"] = "from-env";
        _env["GATEWAY_FAKE_KEY_FILE"] = "/env/key";
        _flags["port"] = "3003";
        _flags["host"] = "from-flag";

        var config = Resolve("nas,port=4004:backup").Config;

        Assert.Equal("4004", config.Get("port"));
        Assert.Equal("from-flag", config.Get("host"));
        Assert.Equal("/env/key", config.Get("key_file"));
        Assert.Equal("false", config.Get("fast_mode"));
    }

    [Theory]
    [InlineData(false, false, false, "1001")]
    [InlineData(true, false, false, "2002")]
    [InlineData(true, true, false, "3003")]
    [InlineData(true, true, true, "4004")]
    [InlineData(false, false, true, "4004")]
    [InlineData(false, true, false, "3003")]
    public void Resolve_Precedence_EachLevelOverridesTheOnesBelow(bool env, bool flag, bool inline, string expected)
    {
        if (env)
        {
            _env["GATEWAY_FAKE_PORT"] = "2002";
        }

        if (flag)
        {
            _flags["port"] = "3003";
        }

        var config = Resolve(inline ? "nas,port=4004:x" : "nas:x").Config;

        Assert.Equal(expected, config.Get("port"));
    }

    [Fact]
    public void Resolve_InlineRemote_UsesTypeDirectlyWithEnvAndFlags()
    {
        _env["GATEWAY_FAKE_HOST"] = "from-env";
        _flags["key_file"] = "/flag/key";

        var resolved = Resolve(":fake,port=7:some/path");

        Assert.Equal("fake", resolved.Config.Registration.Name);
        Assert.Equal("some/path", resolved.Config.Root);
        Assert.Equal("from-env", resolved.Config.Get("host"));
        Assert.Equal("/flag/key", resolved.Config.Get("key_file"));
        Assert.Equal("7", resolved.Config.Get("port"));
        Assert.Equal(":fake:some/path", resolved.Display);
    }

    [Fact]
    public void Resolve_NamedRemote_WinsOverBackendTypeOfSameName()
    {
        var config = Resolve("memory:x").Config;

        Assert.Equal("fake", config.Registration.Name);
        Assert.Equal("shadowing-memory", config.Get("host"));
    }

    [Fact]
    public void Resolve_BackendTypeWithoutSection_UsesType()
    {
        var resolved = Resolve("fake:dir", config: "");

        Assert.Equal("fake", resolved.Config.Registration.Name);
        Assert.Equal("dir", resolved.Config.Root);
        Assert.Equal("fake:dir", resolved.Display);
    }

    [Fact]
    public void Resolve_BarePath_IsLocalWithAbsoluteRoot()
    {
        var resolved = Resolve("some/relative/dir");

        var expected = Path.GetFullPath("some/relative/dir");
        Assert.Equal("local", resolved.Config.Registration.Name);
        Assert.Equal(expected, resolved.Config.Root);
        Assert.Equal("local:" + expected, resolved.Display);
        Assert.True(resolved.IsLocal);
    }

    [Fact]
    public void Resolve_LocalPrefix_IsLocalWithAbsoluteRoot()
    {
        var resolved = Resolve("local:/srv/restic");

        Assert.Equal("/srv/restic", resolved.Config.Root);
        Assert.Equal("local:/srv/restic", resolved.Display);
    }

    [Fact]
    public void Resolve_Display_NeverContainsOptionValues()
    {
        var resolved = Resolve(":fake,password='s3cr3t':p");

        Assert.Equal("s3cr3t", resolved.Config.Get("password"));
        Assert.DoesNotContain("s3cr3t", resolved.Display, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nosuch:x", "unknown remote 'nosuch': no section [nosuch] in test.conf and no backend type 'nosuch' (known types: fake, local, memory)")]
    [InlineData(":nosuch:x", "remote ':nosuch:x': unknown backend type 'nosuch' (known types: fake, local, memory)")]
    [InlineData("notype:x", "test.conf: section [notype] has no 'type = ...' line")]
    [InlineData("badtype:x", "test.conf, section [badtype]: unknown backend type 'nosuch' (known types: fake, local, memory)")]
    [InlineData("badoption:x", "test.conf, section [badoption]: backend 'fake' has no option 'colour' (see 'gateway backends')")]
    [InlineData(":fake,colour=red:x", "remote 'fake': backend 'fake' has no option 'colour' (see 'gateway backends')")]
    public void Resolve_Errors_AreOneClearLine(string remote, string message)
    {
        var e = Assert.Throws<CliException>(() => Resolve(remote));

        Assert.Equal(message, e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Resolve_BarePathOrInline_NeverLoadsConfig()
    {
        var loads = 0;
        var resolver = new RemoteResolver(_backends.Registry, _ => null, () =>
        {
            loads++;
            throw new CliException("config must not be read");
        });

        resolver.Resolve("/data", _ => new Dictionary<string, string>());
        resolver.Resolve(":memory:", _ => new Dictionary<string, string>());

        Assert.Equal(0, loads);
    }

    private ResolvedRemote Resolve(string remote, string config = ConfigText)
    {
        var resolver = new RemoteResolver(
            _backends.Registry,
            name => _env.GetValueOrDefault(name),
            () => IniFile.Parse(new StringReader(config), "test.conf"));
        return resolver.Resolve(remote, registration => registration.Name == "fake" ? _flags : new Dictionary<string, string>());
    }
}
