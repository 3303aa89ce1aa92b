using VfsGateway.Cli;
using VfsGateway.Cli.Commands;
using VfsGateway.Cli.Remotes;

namespace VfsGateway.UnitTests.Cli.Commands;

public sealed class S3AuthKeySourcesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-authkeys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Collect_FileEnvAndConfig_AddUp()
    {
        var file = Path.Combine(_dir, "keys");
        File.WriteAllText(file, "# users\nAK1,SK1\n\n  AK2,SK2  \n");
        var config = IniFile.Parse(new StringReader("[serve s3]\nauth_key = AK4,SK4 AK5,SK5\n"), "gateway.conf");
        var env = new Dictionary<string, string> { [S3AuthKeySources.EnvVar] = "AK3,SK3;AK1,SK1" };

        var keys = S3AuthKeySources.Collect(["AK0,SK0"], file, env.GetValueOrDefault, () => config);

        Assert.Equal(["AK0", "AK1", "AK2", "AK3", "AK4", "AK5"], keys.Select(k => k.AccessKeyId));
        Assert.Equal("SK2", keys.Single(k => k.AccessKeyId == "AK2").SecretAccessKey);
    }

    [Fact]
    public void Collect_BadLineInFile_NamesFileAndLineNotTheSecret()
    {
        var file = Path.Combine(_dir, "keys");
        File.WriteAllText(file, "AK1,SK1\nnocomma-secret\n");

        var e = Assert.Throws<CliException>(() => S3AuthKeySources.Collect([], file, _ => null, () => IniFile.Empty("x")));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.StartsWith($"{file}:2: an auth key must look like", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_SameIdTwoSecrets_IsAnErrorWithoutSecrets()
    {
        var env = new Dictionary<string, string> { [S3AuthKeySources.EnvVar] = "AK1,other" };

        var e = Assert.Throws<CliException>(() => S3AuthKeySources.Collect(["AK1,SK1"], null, env.GetValueOrDefault, () => IniFile.Empty("x")));

        Assert.Contains("'AK1' has two different secrets (--auth-key and $GATEWAY_AUTH_KEY)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SK1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_MissingOrEmptyFile_ClearError()
    {
        var missing = Path.Combine(_dir, "missing");
        Assert.StartsWith($"cannot read --auth-key-file '{missing}'", Assert.Throws<CliException>(() => S3AuthKeySources.Collect([], missing, _ => null, () => IniFile.Empty("x"))).Message, StringComparison.Ordinal);

        var empty = Path.Combine(_dir, "empty");
        File.WriteAllText(empty, "# nobody yet\n");
        Assert.Contains("holds no keys", Assert.Throws<CliException>(() => S3AuthKeySources.Collect([], empty, _ => null, () => IniFile.Empty("x"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NoKeyAnywhere_NamesThePreferredSources()
    {
        var harness = new CliHarness();

        var code = await harness.RunAsync("serve", "s3", "--addr", "127.0.0.1:0", "memory:");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--auth-key-file", harness.Error.Text, StringComparison.Ordinal);
        Assert.Contains("$GATEWAY_AUTH_KEY", harness.Error.Text, StringComparison.Ordinal);
    }
}
