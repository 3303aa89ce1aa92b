using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Sftp;

/// <summary>
/// Debian's aws-cli v2 (/usr/bin/aws, apt `awscli`) against a gateway on 127.0.0.1. It ignores
/// AWS_ENDPOINT_URL, so every call carries --endpoint-url; no config or credentials file of the
/// machine is read (TEST-INFRA.md).
/// </summary>
internal sealed class AwsCli(string executable, string endpoint, string accessKey, string secretKey, Func<string>? diagnostics = null)
{
    public const string Path = "/usr/bin/aws";

    /// <summary>/usr/bin/aws; fails the test with the install command when it is missing.</summary>
    public static string Require() =>
        File.Exists(Path)
            ? Path
            : throw new InvalidOperationException(
                $"{Path} (Debian's aws-cli v2) is not installed. Run ./test.sh, or: apt-get update && apt-get install -y awscli");

    public Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(
            executable,
            [.. args, "--endpoint-url", endpoint],
            new Dictionary<string, string?>
            {
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
                ["AWS_DEFAULT_REGION"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = accessKey,
                ["AWS_SECRET_ACCESS_KEY"] = secretKey,
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
                ["AWS_CA_BUNDLE"] = null,
                ["AWS_ENDPOINT_URL"] = null,
                ["AWS_PAGER"] = string.Empty,
                ["NO_PROXY"] = "127.0.0.1,localhost",
            },
            timeout: TimeSpan.FromMinutes(3));

    /// <summary>Runs aws and fails the test with its full output (and the servers' logs, when given) unless it exits 0.</summary>
    public async Task<ProcessResult> MustAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Succeeded, result.Describe() + (diagnostics is null ? string.Empty : "\n" + diagnostics()));
        return result;
    }
}
