using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.UnitTests.Vfs.Registry;

public sealed class BackendConfigTests
{
    private static readonly BackendRegistration Sftp = new(
        "sftp",
        "test registration",
        [
            new BackendOption("host", "server", IsRequired: true),
            new BackendOption("port", "port", Default: "22"),
            new BackendOption("key_file", "private key"),
            new BackendOption("pass", "password", IsSecret: true),
            new BackendOption("insecure", "skip checks", Default: "false"),
        ],
        (_, _) => throw new NotSupportedException());

    [Fact]
    public void Get_Unset_ReturnsDefaultOrNull()
    {
        var config = new BackendConfig(Sftp, "/srv", new Dictionary<string, string>());

        Assert.Equal("22", config.Get("port"));
        Assert.Null(config.Get("key_file"));
        Assert.Null(config.Get("no_such_option"));
        Assert.False(config.IsSet("port"));
        Assert.Equal("/srv", config.Root);
    }

    [Fact]
    public void Get_Set_OverridesDefault()
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["port"] = "2222" });

        Assert.Equal("2222", config.Get("port"));
        Assert.Equal(2222, config.GetInt("port", 22));
        Assert.True(config.IsSet("port"));
    }

    [Fact]
    public void Values_DashesAndCase_AreNormalised()
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["Key-File"] = "/k" });

        Assert.Equal("/k", config.Get("key_file"));
        Assert.Equal("/k", config.Get("key-file"));
        Assert.Equal("/k", config.Get("KEY_FILE"));
        Assert.True(config.IsSet("key-file"));
    }

    [Fact]
    public void Ctor_UnknownOption_ThrowsInvalidNamingIt()
    {
        var e = Assert.Throws<VfsException>(() => new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["hots"] = "x" }));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Contains("hots", e.Message, StringComparison.Ordinal);
        Assert.Contains("sftp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetRequired_Missing_ThrowsWithFlagAndEnvHint()
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string>());

        var e = Assert.Throws<VfsException>(() => config.GetRequired("host"));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Contains("--sftp-host", e.Message, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_SFTP_HOST", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetRequired_Empty_Throws()
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["host"] = string.Empty });

        Assert.Equal(VfsErrorKind.Invalid, Assert.Throws<VfsException>(() => config.GetRequired("host")).Kind);
    }

    [Fact]
    public void GetRequired_Set_ReturnsValue()
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["host"] = "nas.lan" });

        Assert.Equal("nas.lan", config.GetRequired("host"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void GetBool_ParsesCommonSpellings(string value, bool expected)
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["insecure"] = value });

        Assert.Equal(expected, config.GetBool("insecure"));
    }

    [Fact]
    public void GetInt_NotANumber_ThrowsInvalid()
    {
        var config = new BackendConfig(Sftp, string.Empty, new Dictionary<string, string> { ["port"] = "twenty" });

        var e = Assert.Throws<VfsException>(() => config.GetInt("port", 22));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Contains("twenty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendOption_FlagAndEnvNames_FollowConvention()
    {
        var option = new BackendOption("key_file", "help");

        Assert.Equal("--sftp-key-file", option.FlagName("sftp"));
        Assert.Equal("GATEWAY_SFTP_KEY_FILE", option.EnvName("sftp"));
        Assert.Same(Sftp.Options[2], Sftp.FindOption("key-file"));
        Assert.Null(Sftp.FindOption("nope"));
    }
}
