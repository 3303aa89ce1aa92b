using VfsGateway.IntegrationTests.Backends.Sftp;
using VfsGateway.IntegrationTests.Frontends.S3;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.S3;

/// <summary>
/// The S3 server behind the s3 backend in these tests: our own `gateway serve s3 local:DIR` on
/// loopback, and a config file whose section [back] (type = s3) points at it, so the front gateways
/// get the secret key from a file, never from their command line.
/// </summary>
internal sealed class S3BackingServer : IAsyncDisposable
{
    private S3BackingServer(S3Gateway gateway, string configFile, AwsCli direct)
    {
        Gateway = gateway;
        ConfigFile = configFile;
        Direct = direct;
    }

    /// <summary>The backing server (its data directory holds the buckets).</summary>
    public S3Gateway Gateway { get; }

    /// <summary>A gateway.conf with the remote [back] = this server.</summary>
    public string ConfigFile { get; }

    /// <summary>aws-cli straight to the backing server, bypassing every front gateway.</summary>
    public AwsCli Direct { get; }

    public static async Task<S3BackingServer> StartAsync(TempDir temp, params string[] buckets)
    {
        var gateway = await S3Gateway.StartAsync(temp.Dir("backing"));
        var config = temp.Sub("gateway.conf");
        await File.WriteAllTextAsync(config, $"""
            [back]
            type = s3
            endpoint = {gateway.Endpoint}
            region = us-east-1
            access_key_id = {S3Gateway.AccessKey}
            secret_access_key = {S3Gateway.SecretKey}

            """);
        var direct = new AwsCli(AwsCli.V2, gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey, () => "backing gateway log:\n" + gateway.Server.Stderr);
        var server = new S3BackingServer(gateway, config, direct);
        foreach (var bucket in buckets)
        {
            await direct.MustAsync("s3", "mb", "s3://" + bucket);
        }

        return server;
    }

    public ValueTask DisposeAsync() => Gateway.DisposeAsync();
}
