namespace VfsGateway.ConformanceTests.Backends.S3;

/// <summary>
/// s3rver 3.7.1 (npm; ./test.sh installs it): a small Node S3 server with its well-known keys. It
/// cannot decode aws-chunked bodies, hence request_checksum = when_required, and it has no
/// ListMultipartUploads/ListParts/Abort, hence multipart_passthrough = false (the S3 frontend then
/// stages parts itself); the backend's own multipart puts only need Create/UploadPart/Complete. Its
/// CopyObject cannot read the SDK's encoded x-amz-copy-source ("bucket%2Fkey"), hence
/// server_side_copy = false, and its delimiter listing misses prefixes more than one level below
/// the listed one (declared as <see cref="UnsupportedFeatures.NestedPrefixListing"/>); a truncated
/// listing page holding a "dir/" key is a 500 there (<see cref="UnsupportedFeatures.TruncatedListingOfFolderKeys"/>).
/// It answers a PutObject when the body has gone through its MD5 transform, before its file write
/// stream has flushed (lib/stores/filesystem.js resolves on the transform's 'finish'): on a loaded
/// machine a HEAD right after a 9 MiB put saw 9,437,184 of 9,449,529 bytes, hence <see cref="PutSettleTime"/>.
/// </summary>
public sealed class S3rverFixture : S3Fixture
{
    public override string AccessKey => "S3RVER";

    public override string SecretKey => "S3RVER";

    public override UnsupportedFeatures Unsupported => base.Unsupported | UnsupportedFeatures.Multipart | UnsupportedFeatures.NestedPrefixListing | UnsupportedFeatures.TruncatedListingOfFolderKeys;

    public override TimeSpan PutSettleTime => TimeSpan.FromSeconds(10);

    public override Dictionary<string, string> Options()
    {
        var options = base.Options();
        options["request_checksum"] = "when_required";
        options["multipart_passthrough"] = "false";
        options["server_side_copy"] = "false";
        return options;
    }

    private protected override Task<ServerProcess> StartServerAsync(int port) =>
        ServerProcess.StartAsync(
            "s3rver",
            ["-d", Directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-vhost-buckets", "--silent"],
            port);
}
