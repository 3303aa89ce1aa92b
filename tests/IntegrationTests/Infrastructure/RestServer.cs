namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real rest-server 0.14.0 (restic's own REST server, the reference for `serve restic`), run on
/// 127.0.0.1 as a foreground child. It is not installed anywhere: it is found through
/// SHARED_TOOLS_DIR, else in shared/tools beside the repository or one of its parents (../shared/tools
/// from a checkout, ../../shared/tools from a worktree). Missing, it fails the test with what to do.
/// </summary>
internal sealed class RestServer : IAsyncDisposable
{
    public const string FileName = "rest-server-0.14.0";

    private static readonly Lazy<string> BinaryPath = new(Locate);

    private readonly ServerProcess _process;

    private RestServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>"http://127.0.0.1:PORT", no trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Log => _process.Log;

    public static string Binary => BinaryPath.Value;

    /// <summary>Starts `rest-server --path DIR --listen 127.0.0.1:PORT ARGS` and waits until it listens.</summary>
    public static async Task<RestServer> StartAsync(string path, params string[] arguments)
    {
        var port = LoopbackPorts.Free();
        string[] args = ["--path", path, "--listen", $"127.0.0.1:{port}", .. arguments];
        var process = await ServerProcess.StartAsync(Binary, args, port, startTimeout: TimeSpan.FromSeconds(30));
        return new RestServer(process, port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string Locate()
    {
        var candidates = new List<string>();
        var shared = Environment.GetEnvironmentVariable("SHARED_TOOLS_DIR");
        if (!string.IsNullOrEmpty(shared))
        {
            candidates.Add(Path.Combine(shared, FileName));
        }

        for (var dir = RepositoryRoot()?.Parent; dir is not null && candidates.Count < 4; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "tools", FileName));
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"the reference {FileName} binary was not found (looked at: {string.Join(", ", candidates)}). "
            + "Set SHARED_TOOLS_DIR to the directory that holds it, or build it with shared/tools/build-rest-server.sh "
            + "(see shared/tools/README.md); ./test.sh does this when REST_SERVER_GIT_DIR names a rest-server git copy.");
    }

    private static DirectoryInfo? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VfsGateway.sln")))
            {
                return dir;
            }
        }

        return null;
    }
}
