using VfsGateway.Backends.AzureBlob;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

/// <summary>
/// A private Azurite per fixture with one container; each test's backend is made by the real
/// registration factory (remote syntax, options, auth and the startup check all run) and rooted at
/// a fresh prefix of that container. Each concrete fixture authenticates its own way.
/// </summary>
public abstract class AzureBlobFixture : BackendFixture
{
    public const string ContainerName = "conformance";

    private AzuriteServer? _server;

    internal AzuriteServer Server => _server ?? throw new InvalidOperationException("not initialized");

    public override TimeSpan ModTimePrecision => TimeSpan.FromMilliseconds(1);

    public override async Task InitializeAsync()
    {
        _server = await AzuriteServer.StartAsync();
        await _server.CreateContainerAsync(ContainerName);
    }

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public override ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken) =>
        Create($"{ContainerName}/{subRoot}", Options(), cancellationToken);

    public override async ValueTask<IBackend?> CreateSecondInstanceAsync(string subRoot, CancellationToken cancellationToken) =>
        await CreateBackendAsync(subRoot, cancellationToken);

    /// <summary>The backend options (credentials and tuning) of this fixture.</summary>
    public abstract Dictionary<string, string> Options();

    public static ValueTask<IBackend> Create(string root, Dictionary<string, string> options, CancellationToken cancellationToken) =>
        AzureBlobRegistration.Registration.Factory(new BackendConfig(AzureBlobRegistration.Registration, root, options), cancellationToken);
}
