using VfsGateway.Backends.Sftp;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Sftp;

/// <summary>
/// A private sshd per fixture; each test's backend goes through the real registration factory
/// (so the remote syntax and options are exercised) and its sub-root starts out missing.
/// SFTP v3 carries whole seconds, hence the default one-second modtime precision.
/// </summary>
public abstract class SftpFixture : BackendFixture
{
    private SshdServer? _server;

    internal SshdServer Server => _server ?? throw new InvalidOperationException("not initialized");

    public override UnsupportedFeatures Unsupported => UnsupportedFeatures.ContentType | UnsupportedFeatures.Multipart;

    public override async Task InitializeAsync() => _server = await SshdServer.StartAsync(LocalUsers.Sftp);

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public override ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken)
    {
        var (root, options) = Remote(subRoot);
        return Create(root, options, cancellationToken);
    }

    /// <summary>The remote's path part and options for a backend rooted at <paramref name="subRoot"/>.</summary>
    public abstract (string Root, Dictionary<string, string> Options) Remote(string subRoot);

    public static ValueTask<IBackend> Create(string root, Dictionary<string, string> options, CancellationToken cancellationToken) =>
        SftpRegistration.Registration.Factory(new BackendConfig(SftpRegistration.Registration, root, options), cancellationToken);
}
