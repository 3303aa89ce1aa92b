using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Packaging;

/// <summary>
/// The image's entrypoint.sh, create_user and delete_user (packaging/docker), run as they are without a
/// container runtime: DATA_DIRECTORY, PASSWORD_FILE and GATEWAY point into a temp directory and at the
/// built gateway, and the scripts are driven the way `docker run`/`docker exec` would.
/// </summary>
public sealed class DockerEntrypointTests : IDisposable
{
    private readonly TempDir _temp = new("entrypoint");
    private readonly string _data;
    private readonly string _gateway;

    public DockerEntrypointTests()
    {
        _data = _temp.Dir("data");
        // GATEWAY is one executable: a wrapper that execs `dotnet gateway.dll` (or GATEWAY_BIN), so the script's PID stays the server's.
        _gateway = _temp.Sub("gateway");
        File.WriteAllText(_gateway, $"#!/bin/sh\nexec {GatewayBinary.ShellCommand} \"$@\"\n");
        File.SetUnixFileMode(_gateway, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string DockerDir => Path.Combine(GatewayBinary.RepositoryRoot() ?? throw new InvalidOperationException("repository root not found"), "packaging", "docker");

    private string PasswordFile => Path.Combine(_data, ".htpasswd");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CreateUser_DeleteUser_EditThePasswordFile()
    {
        var alice = await RunScriptAsync("create_user", ["alice", "alice pw"]);
        Assert.True(alice.Succeeded, alice.Describe());
        // Without a PASSWORD argument and without a terminal, the password is one line on stdin.
        var bob = await RunScriptAsync("create_user", ["bob"], stdin: "bob-pw\n");
        Assert.True(bob.Succeeded, bob.Describe());
        Assert.DoesNotContain("bob-pw", bob.Stdout + bob.Stderr, StringComparison.Ordinal);

        Assert.True((await ApacheHtpasswd.VerifyAsync(PasswordFile, "alice", "alice pw")).Succeeded, File.ReadAllText(PasswordFile));
        Assert.True((await ApacheHtpasswd.VerifyAsync(PasswordFile, "bob", "bob-pw")).Succeeded, File.ReadAllText(PasswordFile));

        var changed = await RunScriptAsync("create_user", ["alice", "new pw"]);
        Assert.True(changed.Succeeded, changed.Describe());
        Assert.True((await ApacheHtpasswd.VerifyAsync(PasswordFile, "alice", "new pw")).Succeeded, File.ReadAllText(PasswordFile));

        var delete = await RunScriptAsync("delete_user", ["bob"]);
        Assert.True(delete.Succeeded, delete.Describe());
        var users = File.ReadAllLines(PasswordFile).Select(l => l.Split(':')[0]).ToArray();
        Assert.Equal(["alice"], users);

        var missing = await RunScriptAsync("delete_user", ["nobody"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("nobody", missing.Stderr, StringComparison.Ordinal);

        var usage = await RunScriptAsync("create_user", []);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("usage: create_user NAME [PASSWORD]", usage.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restic_UsersAndOptions_ServeWithAuthenticationAndExtraFlags()
    {
        Assert.True((await RunScriptAsync("create_user", ["alice", "alice-pw"])).Succeeded);
        var port = LoopbackPorts.Free();
        // OPTIONS are extra flags, as in rest-server's image; --prometheus-no-auth makes /metrics answer anonymously.
        await using var server = await StartAsync(["restic"], port, new() { ["OPTIONS"] = "--prometheus --prometheus-no-auth" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri("/alice/?create=true", UriKind.Relative), null)).StatusCode);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/alice/?create=true");
        create.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:alice-pw")));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(create)).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(_data, "alice", "data")), "the repository was not created in DATA_DIRECTORY");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        // The image's HEALTHCHECK: `entrypoint.sh healthcheck` asks the health endpoint on LISTEN's port.
        var health = await RunScriptAsync("entrypoint.sh", ["healthcheck"], new() { ["LISTEN"] = $"127.0.0.1:{port}" });
        Assert.True(health.Succeeded, health.Describe() + server.Log);
    }

    [Fact]
    public async Task Restic_DisableAuthentication_ServesAnonymously()
    {
        var port = LoopbackPorts.Free();
        await using var server = await StartAsync(["restic"], port, new() { ["DISABLE_AUTHENTICATION"] = "1" });
        using var http = new HttpClient();
        var create = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/repo/?create=true"), null);
        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.False(File.Exists(PasswordFile), "no users file is made without authentication");
    }

    [Fact]
    public async Task Restic_NoUser_RefusesWithTheCreateUserHint()
    {
        var result = await RunScriptAsync("entrypoint.sh", [], new() { ["LISTEN"] = $"127.0.0.1:{LoopbackPorts.Free()}" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("create_user NAME", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("DISABLE_AUTHENTICATION=1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_AuthKeyFile_ServesSignedRequestsOnly()
    {
        var keys = _temp.Sub("s3-keys");
        File.WriteAllText(keys, "# access keys\nAKIDEXAMPLE,secret-example-key\n");
        var port = LoopbackPorts.Free();
        Directory.CreateDirectory(Path.Combine(_data, "bucket1"));
        await using var server = await StartAsync(["s3"], port, new() { ["AUTH_KEY_FILE"] = keys });
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/_gateway/health/ready"))).StatusCode);

        Assert.Equal(["bucket1"], await ListBucketsAsync(port, "AKIDEXAMPLE", "secret-example-key"));
    }

    [Fact]
    public async Task Healthcheck_NothingListening_Fails()
    {
        var port = LoopbackPorts.Free();
        var result = await RunScriptAsync("entrypoint.sh", ["healthcheck"], new() { ["LISTEN"] = $":{port}" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"not ready on 127.0.0.1 port(s) {port}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_Command_RunsTheBinary()
    {
        var result = await RunScriptAsync("entrypoint.sh", ["gateway", "version"]);
        Assert.True(result.Succeeded, result.Describe());
        Assert.StartsWith("gateway ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_MultiStageNonRootVolumeHealthcheck()
    {
        var lines = File.ReadAllLines(Path.Combine(DockerDir, "Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains("VOLUME /data", lines);
        Assert.Contains(lines, l => l.Contains("CMD [\"/usr/local/bin/entrypoint.sh\", \"healthcheck\"]", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]", lines);
        // Every file the image copies from the context exists (the build would fail on a missing one).
        foreach (var copy in lines.Where(l => l.StartsWith("COPY packaging/", StringComparison.Ordinal)))
        {
            foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            {
                Assert.True(File.Exists(Path.Combine(DockerDir, "..", "..", source)), $"{source} (Dockerfile: {copy})");
            }
        }
    }

    private async Task<ServerProcess> StartAsync(string[] args, int port, Dictionary<string, string?> environment)
    {
        environment["LISTEN"] = $"127.0.0.1:{port}";
        // ServerProcess sets variables only: the unset ones (null) are left out.
        var set = Environment(environment).Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value);
        return await ServerProcess.StartAsync("/bin/sh", [Path.Combine(DockerDir, "entrypoint.sh"), .. args], port, set, startTimeout: TimeSpan.FromSeconds(90));
    }

    private Task<ProcessResult> RunScriptAsync(string script, string[] args, Dictionary<string, string?>? environment = null, string? stdin = null) =>
        ProcessRunner.RunAsync("/bin/sh", [Path.Combine(DockerDir, script), .. args], Environment(environment ?? []), timeout: TimeSpan.FromSeconds(90), standardInput: stdin ?? string.Empty);

    private Dictionary<string, string?> Environment(Dictionary<string, string?> extra)
    {
        // The image's ENV lines, pointed at the temp directory; nothing of the caller's environment leaks in.
        var environment = new Dictionary<string, string?>
        {
            ["GATEWAY"] = _gateway,
            ["DATA_DIRECTORY"] = _data,
            ["PASSWORD_FILE"] = PasswordFile,
            ["DOTNET_NOLOGO"] = "1",
            ["OPTIONS"] = null,
            ["LISTEN"] = null,
            ["DISABLE_AUTHENTICATION"] = null,
            ["AUTH_KEY_FILE"] = null,
            ["GATEWAY_AUTH_KEY"] = null,
        };
        foreach (var (k, v) in extra)
        {
            environment[k] = v;
        }

        return environment;
    }

    private static async Task<string[]> ListBucketsAsync(int port, string accessKey, string secret)
    {
        var config = new Amazon.S3.AmazonS3Config { ServiceURL = $"http://127.0.0.1:{port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
        using var client = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(accessKey, secret), config);
        var response = await client.ListBucketsAsync();
        return (response.Buckets ?? []).Select(b => b.BucketName).ToArray();
    }
}
