using System.Globalization;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>Registers the "azureblob" backend type: <c>azureblob:container/path</c>, <c>azureblob:</c> (the account) or a named remote with <c>type = azureblob</c>.</summary>
public static class AzureBlobRegistration
{
    public const string Name = "azureblob";

    public static IReadOnlyList<BackendOption> Options { get; } =
    [
        new("connection_string", $"Storage connection string (first choice when several credentials are given; {AzureBlobOptions.ConnectionStringVariable} is used when no credential option is set).", IsSecret: true),
        new("account", "Storage account name (with key, or with env_auth)."),
        new("key", "Storage account access key (Shared Key).", IsSecret: true),
        new("sas_url", "SAS URL of the account or of one container (https://ACCOUNT.blob.core.windows.net/[CONTAINER]?sv=…).", IsSecret: true),
        new("env_auth", "Authenticate with Azure AD from the environment (DefaultAzureCredential: AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, workload or managed identity, az login); needs account.", "false"),
        new("use_emulator", $"Use Azurite's well-known account {AzureBlobOptions.EmulatorAccount} (default endpoint http://127.0.0.1:10000/{AzureBlobOptions.EmulatorAccount}).", "false"),
        new("endpoint", "Blob service URL instead of https://ACCOUNT.blob.core.windows.net (Azurite: http://127.0.0.1:10000/devstoreaccount1, sovereign clouds, private endpoints)."),
        new("chunk_size", "Block size of uploads above upload_cutoff (and of multipart parts).", "4M"),
        new("upload_concurrency", "Blocks of one upload sent at once; an upload holds at most chunk_size × (upload_concurrency + 1) in memory.", AzureBlobOptions.DefaultUploadConcurrency.ToString(CultureInfo.InvariantCulture)),
        new("upload_cutoff", "Uploads of at most this size are sent in one Put Blob request (at most 256M).", "4M"),
        new("access_tier", "Access tier of new blobs: hot, cool, cold or archive (default: the account's). Archived blobs cannot be read until rehydrated."),
        new("directory_markers", "Write a zero-length 'dir/' blob on mkdir so that empty directories survive (as rclone does).", "false"),
    ];

    public static BackendRegistration Registration { get; } = new(
        Name,
        "Azure Blob Storage (block blobs): azureblob:container/path, or azureblob: for the whole account (containers as buckets).",
        Options,
        async (config, cancellationToken) =>
        {
            var options = AzureBlobOptions.FromConfig(config);
            IBackend backend = await AzureBlobBackend.CreateAsync(options, cancellationToken).ConfigureAwait(false);
            return backend;
        });
}
