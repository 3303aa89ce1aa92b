using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Azure;

/// <summary>
/// An independent Azure client for what the gateway wrote: Microsoft's Python SDK (Debian's
/// python3-azure, azure.storage.blob, under /usr/bin/python3; ./test.sh installs it), given the
/// connection string in its environment, so that the bytes, content type and metadata are read by
/// other code than the gateway's.
/// </summary>
internal static class AzureReader
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import hashlib, json, os, sys
        from azure.core.exceptions import ResourceNotFoundError
        from azure.storage.blob import BlobServiceClient
        container, blob = sys.argv[1:3]
        client = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"]).get_blob_client(container, blob)
        try:
            download = client.download_blob()
            body = download.readall()
            props = download.properties
            print(json.dumps({"status": 200, "contentType": props.content_settings.content_type, "sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "meta": props.metadata}))
        except ResourceNotFoundError:
            print(json.dumps({"status": 404}))
        """;

    public static async Task<AzureBlobSeen> GetAsync(AzuriteServer azurite, string container, string blob)
    {
        var result = await ProcessRunner.RunAsync(
            Python,
            ["-", container, blob],
            environment: new Dictionary<string, string?> { ["AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString },
            standardInput: Script,
            timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.Succeeded, result.Describe());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        var status = root.GetProperty("status").GetInt32();
        if (status != 200)
        {
            return new AzureBlobSeen(status, null, null, 0, new Dictionary<string, string>());
        }

        return new AzureBlobSeen(
            status,
            root.GetProperty("contentType").GetString(),
            root.GetProperty("sha256").GetString(),
            root.GetProperty("size").GetInt64(),
            root.GetProperty("meta").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }
}
