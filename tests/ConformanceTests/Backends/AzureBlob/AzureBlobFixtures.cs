namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

/// <summary>Account name and key, with directory markers and small blocks so that the chunked paths run on small data.</summary>
public sealed class AzureBlobSharedKeyFixture : AzureBlobFixture
{
    public override Dictionary<string, string> Options() => new()
    {
        ["account"] = AzuriteServer.Account,
        ["key"] = AzuriteServer.Key,
        ["endpoint"] = Server.Endpoint,
        ["directory_markers"] = "true",
        ["chunk_size"] = "256k",
        ["upload_cutoff"] = "100k",
        ["upload_concurrency"] = "4",
    };
}
