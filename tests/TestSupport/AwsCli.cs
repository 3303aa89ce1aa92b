using Xunit;

namespace VfsGateway.TestSupport;

/// <summary>
/// aws-cli (Debian's v2 or the pip v1) against an S3 endpoint on 127.0.0.1. Debian's awscli ignores
/// AWS_ENDPOINT_URL, so every call carries --endpoint-url; no config or credentials file of the
/// machine is read and no proxy is used (TEST-INFRA.md). A missing aws-cli fails the test with the
/// command that installs it.
/// </summary>
internal sealed class AwsCli(string executable, string endpoint, string accessKey, string secretKey, Func<string>? diagnostics = null)
{
    /// <summary>Debian's aws-cli v2 (apt awscli): Content-MD5, hex x-amz-content-sha256, Expect: 100-continue.</summary>
    public static string V2 =>
        File.Exists("/usr/bin/aws")
            ? "/usr/bin/aws"
            : throw new InvalidOperationException(
                "/usr/bin/aws (Debian's aws-cli v2) is not installed. Run ./test.sh, or: apt-get update && apt-get install -y awscli");

    /// <summary>
    /// aws-cli v1 with a current botocore (flexible checksums: x-amz-sdk-checksum-algorithm CRC32). It is the
    /// pip awscli of the machine image's pyenv Python; PATH's `aws` when that is not Debian's v2.
    /// </summary>
    public static string V1
    {
        get
        {
            var pyenv = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? "/root/.pyenv";
            var versions = Path.Combine(pyenv, "versions");
            var candidate = Directory.Exists(versions)
                ? Directory.EnumerateDirectories(versions).Select(v => Path.Combine(v, "bin", "aws")).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
                : null;
            if (candidate is not null)
            {
                return candidate;
            }

            var onPath = Tool.Find("aws");
            return onPath is not null && !onPath.StartsWith("/usr/bin/", StringComparison.Ordinal) && !onPath.StartsWith("/bin/", StringComparison.Ordinal)
                ? onPath
                : throw new InvalidOperationException(
                "aws-cli v1 (pip awscli with botocore >= 1.36, flexible checksums) was not found on PATH or under " + versions
                + ": install it with `python3 -m pip install awscli`");
        }
    }

    /// <summary>
    /// The environment of aws-cli and boto3: the keys, us-east-1, no config or credentials files, no endpoint,
    /// CA or proxy overrides. A null value removes the variable.
    /// </summary>
    public static Dictionary<string, string?> ClientEnvironment(string accessKey, string secretKey) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_REGION"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_CA_BUNDLE"] = null,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_ENDPOINT_URL_S3"] = null,
        ["AWS_PAGER"] = string.Empty,
        ["NO_PROXY"] = "127.0.0.1,localhost",
    };

    /// <summary>Runs `aws ARGS --endpoint-url ENDPOINT` to completion (killed after three minutes).</summary>
    public Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(executable, [.. args, "--endpoint-url", endpoint], ClientEnvironment(accessKey, secretKey), timeout: TimeSpan.FromMinutes(3));

    /// <summary>Runs aws and fails the test with its full output (and the servers' logs, when given) unless it exits 0.</summary>
    public async Task<ProcessResult> MustAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Succeeded, result.Describe() + (diagnostics is null ? string.Empty : "\n" + diagnostics()));
        return result;
    }
}
