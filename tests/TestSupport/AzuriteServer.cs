using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace VfsGateway.TestSupport;

/// <summary>
/// A private Azurite blob service (npm azurite 3.37.0, installed by ./test.sh) on 127.0.0.1 with a
/// free port and its own data directory, stopped by PID on dispose. --skipApiVersionCheck is needed
/// because Azure.Storage.Blobs 12.30 speaks a newer API version than Azurite knows.
/// </summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ServerProcess _process;
    private readonly string _dir;

    private AzuriteServer(ServerProcess process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The blob service URL (path-style: the account is the first path segment).</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{Account}";

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint={Endpoint};";

    public string Log => _process.Log;

    public static async Task<AzuriteServer> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("azurite-").FullName;
        var port = LoopbackPorts.Free();
        var process = await ServerProcess.StartAsync(
            "azurite-blob",
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", dir,
             "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent"],
            port,
            startTimeout: TimeSpan.FromMinutes(3)); // node starts slowly on a loaded 2-core machine
        return new AzuriteServer(process, dir, port);
    }

    /// <summary>A client with the account key, for setting up and checking what the gateway wrote.</summary>
    public BlobServiceClient Client() => new(new Uri(Endpoint), new StorageSharedKeyCredential(Account, Key));

    public async Task CreateContainerAsync(string name) =>
        await Client().GetBlobContainerClient(name).CreateIfNotExistsAsync();

    /// <summary>An account SAS URL with every permission, valid for a day.</summary>
    public string AccountSasUrl() =>
        Client().GenerateAccountSasUri(AccountSasPermissions.All, DateTimeOffset.UtcNow.AddDays(1), AccountSasResourceTypes.All).ToString();

    /// <summary>A container SAS URL with every permission, valid for a day.</summary>
    public string ContainerSasUrl(string container) =>
        Client().GetBlobContainerClient(container).GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddDays(1)).ToString();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // azurite may still be closing its files; the temp dir is cleaned by the OS
        }
    }
}
