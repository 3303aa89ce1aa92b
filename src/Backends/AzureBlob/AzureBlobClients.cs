using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// Builds the SDK clients from the options: one service client (and the container client of a
/// container remote) sharing one HTTP pipeline with the retry policy configured here, once.
/// </summary>
internal static class AzureBlobClients
{
    /// <summary>The service client (null with a container SAS) and the container client of a container remote (null for "azureblob:").</summary>
    public static (BlobServiceClient? Service, BlobContainerClient? Container) Create(AzureBlobOptions options, int maxRetries)
    {
        var clientOptions = ClientOptions(maxRetries);
        try
        {
            switch (options.Auth)
            {
                case AzureBlobAuth.ConnectionString:
                    return WithContainer(new BlobServiceClient(options.ConnectionString, clientOptions), options);
                case AzureBlobAuth.SharedKey:
                    var credential = new StorageSharedKeyCredential(options.Account, options.Key);
                    return WithContainer(new BlobServiceClient(ServiceUri(options), credential, clientOptions), options);
                case AzureBlobAuth.EnvAuth:
                    return WithContainer(new BlobServiceClient(ServiceUri(options), TokenCredential(), clientOptions), options);
                case AzureBlobAuth.SasUrl:
                    return FromSas(options, clientOptions);
                default:
                    throw new VfsException(VfsErrorKind.Invalid, "azureblob: unknown authentication");
            }
        }
        catch (FormatException e)
        {
            throw new VfsException(VfsErrorKind.Invalid, "azureblob connection_string is malformed (expected AccountName=…;AccountKey=…;BlobEndpoint=… or similar)", null, e);
        }
        catch (ArgumentException e)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"azureblob: invalid credentials or endpoint ({e.GetType().Name})", null, e);
        }
    }

    /// <summary>
    /// A factory of blob clients for exact URLs. The SDK's GetBlobClient and BlobUriBuilder drop a
    /// trailing '/' from a blob name, so directory markers and directory keys ("dir/") need clients
    /// made from the URL itself, with the same credential.
    /// </summary>
    public static Func<Uri, BlobClient> ExactBlobClients(AzureBlobOptions options) =>
        ExactClients(options, (u, k, o) => new BlobClient(u, k, o), (u, t, o) => new BlobClient(u, t, o), (u, o) => new BlobClient(u, o));

    /// <summary>The block blob clients of <see cref="ExactBlobClients"/> (staged puts of a directory key).</summary>
    public static Func<Uri, BlockBlobClient> ExactBlockBlobClients(AzureBlobOptions options) =>
        ExactClients(options, (u, k, o) => new BlockBlobClient(u, k, o), (u, t, o) => new BlockBlobClient(u, t, o), (u, o) => new BlockBlobClient(u, o));

    private static Func<Uri, T> ExactClients<T>(
        AzureBlobOptions options,
        Func<Uri, StorageSharedKeyCredential, BlobClientOptions, T> withKey,
        Func<Uri, TokenCredential, BlobClientOptions, T> withToken,
        Func<Uri, BlobClientOptions, T> withSas)
    {
        var clientOptions = ClientOptions(5);
        switch (options.Auth)
        {
            case AzureBlobAuth.SharedKey:
                var credential = new StorageSharedKeyCredential(options.Account, options.Key);
                return uri => withKey(uri, credential, clientOptions);
            case AzureBlobAuth.EnvAuth:
                var token = TokenCredential();
                return uri => withToken(uri, token, clientOptions);
            case AzureBlobAuth.SasUrl:
                var sas = new Uri(options.SasUrl!).Query.TrimStart('?');
                return uri => withSas(new UriBuilder(uri) { Query = sas }.Uri, clientOptions);
            default:
                var parts = ParseConnectionString(options.ConnectionString!);
                if (parts.TryGetValue("AccountName", out var account) && parts.TryGetValue("AccountKey", out var key))
                {
                    var shared = new StorageSharedKeyCredential(account, key);
                    return uri => withKey(uri, shared, clientOptions);
                }

                if (parts.TryGetValue("SharedAccessSignature", out var signature))
                {
                    return uri => withSas(new UriBuilder(uri) { Query = signature.TrimStart('?') }.Uri, clientOptions);
                }

                if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    var emulator = new StorageSharedKeyCredential(AzureBlobOptions.EmulatorAccount, AzureBlobOptions.EmulatorKey);
                    return uri => withKey(uri, emulator, clientOptions);
                }

                return _ => throw new VfsException(VfsErrorKind.NotSupported, "azureblob: names ending in '/' (directory markers and keys) need a connection string with AccountKey or SharedAccessSignature");
        }
    }

    private static Dictionary<string, string> ParseConnectionString(string text)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[part[..eq]] = part[(eq + 1)..];
            }
        }

        return parts;
    }

    private static DefaultAzureCredential TokenCredential() =>
        new(new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true });

    private static (BlobServiceClient?, BlobContainerClient?) FromSas(AzureBlobOptions options, BlobClientOptions clientOptions)
    {
        var uri = new Uri(options.SasUrl!);
        var parts = new BlobUriBuilder(uri);
        if (string.IsNullOrEmpty(parts.BlobContainerName))
        {
            return WithContainer(new BlobServiceClient(uri, clientOptions), options);
        }

        // A container SAS reaches that container only: the remote must name it.
        if (options.Container is null)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"azureblob: the sas_url is for container '{parts.BlobContainerName}': use the remote azureblob:{parts.BlobContainerName}/path");
        }

        if (!string.Equals(options.Container, parts.BlobContainerName, StringComparison.Ordinal))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"azureblob: the sas_url is for container '{parts.BlobContainerName}', not '{options.Container}'");
        }

        return (null, new BlobContainerClient(uri, clientOptions));
    }

    private static (BlobServiceClient?, BlobContainerClient?) WithContainer(BlobServiceClient service, AzureBlobOptions options) =>
        (service, options.Container is { } c ? service.GetBlobContainerClient(c) : null);

    private static Uri ServiceUri(AzureBlobOptions options) =>
        options.Endpoint ?? new Uri($"https://{options.Account}.blob.core.windows.net");

    private static BlobClientOptions ClientOptions(int maxRetries)
    {
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = maxRetries;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(500);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);

        // The gateway has its own access log; the SDK's diagnostics would log request URLs (SAS tokens).
        clientOptions.Diagnostics.IsLoggingEnabled = false;
        clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
        clientOptions.Diagnostics.IsTelemetryEnabled = false;
        return clientOptions;
    }
}
