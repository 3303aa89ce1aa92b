using VfsGateway.Backends.Local;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Local;

/// <summary>A temporary directory per fixture, removed on dispose; each test's sub-root starts out missing (created lazily).</summary>
public sealed class LocalFixture : BackendFixture
{
    public string BaseDirectory { get; } = Path.Combine(Path.GetTempPath(), "vfsgw-conformance-" + Guid.NewGuid().ToString("N"));

    public override UnsupportedFeatures Unsupported => UnsupportedFeatures.ContentType | UnsupportedFeatures.Multipart;

    public override ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken) =>
        LocalRegistration.Registration.Factory(
            new BackendConfig(LocalRegistration.Registration, Path.Combine(BaseDirectory, subRoot), new Dictionary<string, string>()),
            cancellationToken);

    public override Task DisposeAsync()
    {
        if (Directory.Exists(BaseDirectory))
        {
            Directory.Delete(BaseDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
