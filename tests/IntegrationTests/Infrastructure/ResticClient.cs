using System.Text.Json;

namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real restic client (apt's 0.14) against one repository. Every run gets RESTIC_PASSWORD, its own
/// RESTIC_CACHE_DIR under the test's temp dir, no inherited RESTIC_* settings and no proxy.
/// </summary>
internal sealed class ResticClient
{
    public const string Password = "integration-test-password";

    private readonly string _restic;
    private readonly string _repository;
    private readonly string _cacheDir;
    private readonly IReadOnlyList<string> _globalArgs;

    public ResticClient(string repository, TempDir temp, params string[] globalArgs)
    {
        _restic = Tool.Require("restic");
        _repository = repository;
        _cacheDir = temp.Dir("restic-cache");
        _globalArgs = globalArgs;
    }

    public string Repository => _repository;

    /// <summary>A client for another repository sharing this one's cache dir and global options.</summary>
    public ResticClient WithRepository(string repository, TempDir temp) => new(repository, temp, [.. _globalArgs]);

    public Task<ProcessResult> RunAsync(params string[] args) => RunInAsync(null, args);

    public Task<ProcessResult> RunInAsync(string? workingDirectory, params string[] args)
    {
        var environment = new Dictionary<string, string?>
        {
            ["RESTIC_PASSWORD"] = Password,
            ["RESTIC_CACHE_DIR"] = _cacheDir,
            ["RESTIC_REPOSITORY"] = null,
            ["RESTIC_REPOSITORY_FILE"] = null,
            ["RESTIC_PASSWORD_FILE"] = null,
            ["RESTIC_PASSWORD_COMMAND"] = null,
            ["RESTIC_KEY_HINT"] = null,
            ["RESTIC_CACERT"] = null,
            ["RESTIC_TLS_CLIENT_CERT"] = null,
            ["RESTIC_COMPRESSION"] = null,
            ["RESTIC_PACK_SIZE"] = null,
            ["RESTIC_REST_USERNAME"] = null,
            ["RESTIC_REST_PASSWORD"] = null,
            ["NO_PROXY"] = "127.0.0.1,localhost",
        };
        var all = new List<string> { "--repo", _repository };
        all.AddRange(_globalArgs);
        all.AddRange(args);
        return ProcessRunner.RunAsync(_restic, all, environment, workingDirectory, TimeSpan.FromMinutes(8));
    }

    /// <summary>Runs restic and fails the test with its full output unless it exits 0.</summary>
    public async Task<ProcessResult> MustAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Succeeded, result.Describe());
        return result;
    }

    /// <summary>Runs restic and fails the test unless it exits non-zero.</summary>
    public async Task<ProcessResult> MustFailAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.False(result.Succeeded, "expected a failure but restic succeeded: " + result.Describe());
        return result;
    }

    /// <summary>The snapshot IDs in the repository (`restic snapshots --json`).</summary>
    public async Task<IReadOnlyList<string>> SnapshotIdsAsync()
    {
        var result = await MustAsync("snapshots", "--json");
        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }

    /// <summary>Restores the latest snapshot into <paramref name="target"/> and returns where <paramref name="source"/> ended up.</summary>
    public async Task<string> RestoreLatestAsync(string source, string target, string snapshot = "latest")
    {
        await MustAsync("restore", snapshot, "--target", target);
        return Path.Combine(target, Path.GetFullPath(source).TrimStart('/'));
    }
}
