using VfsGateway.Backends.Ftp;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.UnitTests.Backends.Ftp;

public sealed class FtpOptionsTests
{
    [Theory]
    [InlineData("backup@nas.lan/srv/data", "backup", "nas.lan", 21, "/srv/data")]
    [InlineData("backup@nas.lan:2121/srv/data/", "backup", "nas.lan", 2121, "/srv/data")]
    [InlineData("nas.lan", "anonymous", "nas.lan", 21, "")]
    [InlineData("nas.lan/~/backups", "anonymous", "nas.lan", 21, "backups")]
    [InlineData("u@[::1]:21/data", "u", "::1", 21, "/data")]
    public void FromConfig_RemoteSyntax_SharedWithSftp(string root, string user, string host, int port, string path)
    {
        var options = FtpOptions.FromConfig(Config(root));

        Assert.Equal((user, host, port, path), (options.User, options.Host, options.EffectivePort, options.Path));
    }

    [Fact]
    public void FromConfig_ImplicitTls_DefaultsToPort990()
    {
        Assert.Equal(990, FtpOptions.FromConfig(Config("h", new() { ["tls"] = "true" })).EffectivePort);
    }

    [Fact]
    public void FromConfig_Defaults_AreConcurrency4AndIdle60s()
    {
        var options = FtpOptions.FromConfig(Config("h"));

        Assert.Equal((4, TimeSpan.FromSeconds(60)), (options.Concurrency, options.IdleTimeout));
    }

    [Theory]
    [InlineData("tls", "true", "explicit_tls", "true")]
    [InlineData("no_check_certificate", "true", "concurrency", "4")]
    [InlineData("tls_fingerprint", "abc", "explicit_tls", "true")]
    [InlineData("concurrency", "0", "idle_timeout", "60s")]
    [InlineData("idle_timeout", "soon", "concurrency", "4")]
    [InlineData("user", "a\r\nDELE x", "concurrency", "4")]
    public void FromConfig_BadCombination_ThrowsInvalid(string key1, string value1, string key2, string value2)
    {
        var e = Assert.Throws<VfsException>(() => FtpOptions.FromConfig(Config("h", new() { [key1] = value1, [key2] = value2 })));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public void FromConfig_FingerprintWithColons_IsNormalized()
    {
        var hex = string.Concat(Enumerable.Repeat("ab", 32));
        var withColons = string.Join(':', Enumerable.Repeat("AB", 32));

        var options = FtpOptions.FromConfig(Config("h", new() { ["explicit_tls"] = "true", ["tls_fingerprint"] = withColons }));

        Assert.Equal(hex.ToUpperInvariant(), options.NormalizedFingerprint);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var options = FtpOptions.FromConfig(Config("u@h", new() { ["pass"] = "s3cret-pw" }));

        Assert.DoesNotContain("s3cret-pw", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_PassIsSecretAndEveryIssueOptionExists()
    {
        string[] names = ["host", "port", "user", "pass", "tls", "explicit_tls", "no_check_certificate", "tls_fingerprint", "concurrency", "idle_timeout", "disable_epsv", "disable_mlsd", "disable_utf8"];

        Assert.Equal(names.Order(StringComparer.Ordinal), FtpRegistration.Options.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.True(FtpRegistration.Options.Single(o => o.Name == "pass").IsSecret);
        Assert.Equal("GATEWAY_FTP_PASS", FtpRegistration.Options.Single(o => o.Name == "pass").EnvName(FtpRegistration.Name));
    }

    private static BackendConfig Config(string root, Dictionary<string, string>? values = null) =>
        new(FtpRegistration.Registration, root, values ?? []);
}
