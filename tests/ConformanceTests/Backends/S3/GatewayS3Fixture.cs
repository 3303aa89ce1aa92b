namespace VfsGateway.ConformanceTests.Backends.S3;

/// <summary>
/// Our own `gateway serve s3 local:DIR` on loopback as the backing server (the way rclone tests its
/// s3 backend against its own serve s3), with the SDK's default checksums (aws-chunked with
/// trailers). It enforces AWS's 5 MiB minimum for non-last parts.
/// </summary>
public sealed class GatewayS3Fixture : S3Fixture
{
    public override string AccessKey => "CONFORMANCEAK";

    public override string SecretKey => "conformance/secret+key";

    public override int MinPartSize => 5 * 1024 * 1024;

    /// <summary>serve s3 refuses keys named like the Vfs's temp files, and keys a file system cannot hold next to each other.</summary>
    public override UnsupportedFeatures Unsupported => base.Unsupported | UnsupportedFeatures.TempNamedObjects | UnsupportedFeatures.IndependentKeys;

    private protected override Task<ServerProcess> StartServerAsync(int port)
    {
        var data = Path.Combine(Directory, "data");
        System.IO.Directory.CreateDirectory(data);
        return ServerProcess.StartAsync(
            GatewayBinary.FileName,
            [.. GatewayBinary.LeadingArguments, "serve", "s3", "local:" + data, "--auth-key", $"{AccessKey},{SecretKey}", "--addr", $"127.0.0.1:{port}"],
            port,
            new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" });
    }
}
