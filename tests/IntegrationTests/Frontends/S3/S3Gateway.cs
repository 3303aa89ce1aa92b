using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// A running `gateway serve s3 local:DIR --auth-key AK,SK` process over a local directory, with the
/// key pair the S3 clients sign with. The directory outlives the process, so a test can restart the
/// gateway over the same data.
/// </summary>
internal sealed class S3Gateway : IAsyncDisposable
{
    public const string AccessKey = "itest-access-key";
    public const string SecretKey = "itest/Secret+key=42";

    private S3Gateway(GatewayServer server, string dataDir)
    {
        Server = server;
        DataDir = dataDir;
    }

    public GatewayServer Server { get; }

    /// <summary>The served directory: its subdirectories are the buckets.</summary>
    public string DataDir { get; }

    /// <summary>"http://127.0.0.1:PORT", what every client gets as its endpoint URL.</summary>
    public string Endpoint => Server.BaseUrl;

    public int Port => Server.Port;

    /// <summary>aws-cli (<see cref="AwsCli.V2"/> or <see cref="AwsCli.V1"/>) with this gateway's key pair; a failed call shows the gateway's log.</summary>
    public AwsCli Aws(string executable) => new(executable, Endpoint, AccessKey, SecretKey, () => "gateway log:\n" + Server.Stderr);

    public static async Task<S3Gateway> StartAsync(string dataDir, params string[] extraArgs)
    {
        Directory.CreateDirectory(dataDir);
        var server = await GatewayServer.StartAsync(["serve", "s3", "local:" + dataDir, "--auth-key", $"{AccessKey},{SecretKey}", .. extraArgs]);
        return new S3Gateway(server, dataDir);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
