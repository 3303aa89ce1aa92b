using System.Security.Cryptography;
using VfsGateway.Backends.S3;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.S3;

/// <summary>
/// A real S3 server started on 127.0.0.1 for the class, with one bucket; every test's backend is
/// <c>s3:bucket/sub-root</c> over it. S3 keeps its own modification times (LastModified), so set
/// modtimes are unsupported; a second instance is a second client over the same bucket.
/// </summary>
public abstract class S3Fixture : BackendFixture
{
    private ServerProcess? _server;

    internal ServerProcess Server => _server ?? throw new InvalidOperationException("not initialized");

    /// <summary>http://127.0.0.1:PORT of the running server.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    public string Bucket { get; } = "conformance-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "gw-s3-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    public abstract string AccessKey { get; }

    public abstract string SecretKey { get; }

    public override UnsupportedFeatures Unsupported => UnsupportedFeatures.SetModTime | UnsupportedFeatures.WriterETags;

    public override async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var port = LoopbackPorts.Free();
        Endpoint = $"http://127.0.0.1:{port}";
        _server = await StartServerAsync(port);
        await using var account = await CreateAsync(string.Empty, default);
        await account.MkdirAsync(VfsPath.Parse(Bucket), default);
    }

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public override ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken) =>
        CreateAsync($"{Bucket}/{subRoot}", cancellationToken);

    public override async ValueTask<IBackend?> CreateSecondInstanceAsync(string subRoot, CancellationToken cancellationToken) =>
        await CreateAsync($"{Bucket}/{subRoot}", cancellationToken);

    /// <summary>A backend for <c>s3:ROOT</c> on this server, with <paramref name="extra"/> options on top of the fixture's.</summary>
    public ValueTask<IBackend> CreateAsync(string root, CancellationToken cancellationToken, Dictionary<string, string>? extra = null)
    {
        var options = Options();
        foreach (var (k, v) in extra ?? [])
        {
            options[k] = v;
        }

        return S3Registration.Registration.Factory(new BackendConfig(S3Registration.Registration, root, options), cancellationToken);
    }

    /// <summary>The options every backend of this fixture gets.</summary>
    public virtual Dictionary<string, string> Options() => new()
    {
        ["endpoint"] = Endpoint,
        ["access_key_id"] = AccessKey,
        ["secret_access_key"] = SecretKey,
        ["region"] = "us-east-1",
    };

    private protected abstract Task<ServerProcess> StartServerAsync(int port);
}
