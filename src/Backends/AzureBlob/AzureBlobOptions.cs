using System.Globalization;
using System.Text;
using Azure.Storage.Blobs.Models;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// Options of the azureblob backend, validated (<see cref="Validate"/>) before the first request.
/// <see cref="ToString"/> never shows a key, a SAS token or a connection string.
/// </summary>
public sealed record AzureBlobOptions
{
    public const long DefaultChunkSize = 4L * 1024 * 1024;
    public const int DefaultUploadConcurrency = 16;
    public const long DefaultUploadCutoff = 4L * 1024 * 1024;

    /// <summary>Azure's largest block (service version 2019-12-12 and later).</summary>
    public const long MaxBlockSize = 4000L * 1024 * 1024;

    /// <summary>What a single Put Blob may carry here: it is held in memory while it is sent.</summary>
    public const long MaxUploadCutoff = 256L * 1024 * 1024;

    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string EmulatorAccount = "devstoreaccount1";

    public const string EmulatorKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The standard variable of Azure's own tools, used when no auth option is set.</summary>
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>The container of "azureblob:container/path"; null for "azureblob:" (containers are the top-level directories).</summary>
    public string? Container { get; init; }

    /// <summary>The prefix inside the container ("" or "a/b"), without slashes at either end.</summary>
    public string Prefix { get; init; } = string.Empty;

    public AzureBlobAuth Auth { get; init; }

    public string? Account { get; init; }

    public string? Key { get; init; }

    public string? SasUrl { get; init; }

    public string? ConnectionString { get; init; }

    /// <summary>The blob service URL (Azurite, sovereign clouds, private endpoints); null means https://ACCOUNT.blob.core.windows.net.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Block size of chunked uploads.</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Blocks of one upload in flight at once; memory per upload is at most <see cref="ChunkSize"/> × this.</summary>
    public int UploadConcurrency { get; init; } = DefaultUploadConcurrency;

    /// <summary>Uploads up to this size go in one Put Blob; larger or longer ones in blocks.</summary>
    public long UploadCutoff { get; init; } = DefaultUploadCutoff;

    /// <summary>The tier new blobs get; null leaves it to the account's default.</summary>
    public AccessTier? AccessTier { get; init; }

    /// <summary>Mkdir writes a zero-length "dir/" blob so that empty directories survive (as rclone does).</summary>
    public bool DirectoryMarkers { get; init; }

    /// <summary>Reads the options from a resolved remote: <c>azureblob:container/path</c> or <c>azureblob:</c>.</summary>
    public static AzureBlobOptions FromConfig(BackendConfig config)
    {
        var root = config.Root.Trim('/');
        var slash = root.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? root : root[..slash];
        var prefix = slash < 0 ? string.Empty : root[(slash + 1)..];
        if (prefix.Length > 0)
        {
            prefix = VfsPath.TryParse(prefix, out var parsed, out var error)
                ? parsed.Value
                : throw Invalid($"azureblob path '{prefix}': {error}");
        }

        var connectionString = NullIfEmpty(config.Get("connection_string"));
        var account = NullIfEmpty(config.Get("account"));
        var key = NullIfEmpty(config.Get("key"));
        var sasUrl = NullIfEmpty(config.Get("sas_url"));
        var envAuth = config.GetBool("env_auth");
        var emulator = config.GetBool("use_emulator");
        var endpointText = NullIfEmpty(config.Get("endpoint"));

        AzureBlobAuth auth;
        if (connectionString is not null)
        {
            auth = AzureBlobAuth.ConnectionString;
        }
        else if (account is not null && key is not null)
        {
            auth = AzureBlobAuth.SharedKey;
        }
        else if (sasUrl is not null)
        {
            auth = AzureBlobAuth.SasUrl;
        }
        else if (envAuth)
        {
            auth = AzureBlobAuth.EnvAuth;
        }
        else if (emulator)
        {
            auth = AzureBlobAuth.SharedKey;
            account ??= EmulatorAccount;
            key = EmulatorKey;
            endpointText ??= $"http://127.0.0.1:10000/{EmulatorAccount}";
        }
        else if (NullIfEmpty(Environment.GetEnvironmentVariable(ConnectionStringVariable)) is { } ambient)
        {
            // An ambient variable must not override what the command line or config says, so it comes last.
            auth = AzureBlobAuth.ConnectionString;
            connectionString = ambient;
        }
        else
        {
            throw Invalid(
                "azureblob needs credentials: --azureblob-connection-string, --azureblob-account with --azureblob-key, " +
                $"--azureblob-sas-url, --azureblob-env-auth or --azureblob-use-emulator (or {ConnectionStringVariable})");
        }

        Uri? endpoint = null;
        if (endpointText is not null && !Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint))
        {
            throw Invalid($"azureblob endpoint '{endpointText}' is not an absolute URL (e.g. http://127.0.0.1:10000/devstoreaccount1)");
        }

        var options = new AzureBlobOptions
        {
            Container = container.Length == 0 ? null : container,
            Prefix = prefix,
            Auth = auth,
            Account = account,
            Key = key,
            SasUrl = auth == AzureBlobAuth.SasUrl ? sasUrl : null,
            ConnectionString = auth == AzureBlobAuth.ConnectionString ? connectionString : null,
            Endpoint = endpoint,
            ChunkSize = OptionSize.Parse(config.Get("chunk_size"), "azureblob", "chunk_size", DefaultChunkSize),
            UploadConcurrency = config.GetInt("upload_concurrency", DefaultUploadConcurrency),
            UploadCutoff = OptionSize.Parse(config.Get("upload_cutoff"), "azureblob", "upload_cutoff", DefaultUploadCutoff),
            AccessTier = ParseTier(NullIfEmpty(config.Get("access_tier"))),
            DirectoryMarkers = config.GetBool("directory_markers"),
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="VfsErrorKind.Invalid"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (Container is not null)
        {
            AzureBlobNames.CheckContainer(Container);
        }

        if (Auth == AzureBlobAuth.SharedKey && (Account is null || Key is null))
        {
            throw Invalid("azureblob account and key must be given together");
        }

        if (Auth == AzureBlobAuth.SharedKey)
        {
            Span<byte> scratch = stackalloc byte[Key!.Length];
            if (!Convert.TryFromBase64String(Key, scratch, out _))
            {
                throw Invalid("azureblob key is not base64 (copy the storage account's access key as shown by the portal)");
            }
        }

        if (Auth == AzureBlobAuth.EnvAuth && Account is null && Endpoint is null)
        {
            throw Invalid("azureblob env_auth needs --azureblob-account (or --azureblob-endpoint)");
        }

        if (Auth == AzureBlobAuth.SasUrl && !Uri.TryCreate(SasUrl, UriKind.Absolute, out _))
        {
            throw Invalid("azureblob sas_url is not an absolute URL");
        }

        if (ChunkSize is < 64 * 1024 or > MaxBlockSize)
        {
            throw Invalid($"azureblob chunk_size must be 64 KiB-4000 MiB, not {ChunkSize}");
        }

        if (ChunkSize > int.MaxValue - 64)
        {
            throw Invalid($"azureblob chunk_size must be below 2 GiB here (blocks are held in memory), not {ChunkSize}");
        }

        if (UploadConcurrency is < 1 or > 256)
        {
            throw Invalid($"azureblob upload_concurrency must be 1-256, not {UploadConcurrency}");
        }

        if (UploadCutoff is < 0 or > MaxUploadCutoff)
        {
            throw Invalid($"azureblob upload_cutoff must be 0-256 MiB, not {UploadCutoff}");
        }
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Container = {Container ?? "(account)"}, Prefix = {Prefix}, Auth = {Auth}, Account = {Account ?? "(none)"}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Key = {(Key is null ? "(none)" : "***")}, SasUrl = {(SasUrl is null ? "(none)" : "***")}, ConnectionString = {(ConnectionString is null ? "(none)" : "***")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Endpoint = {Endpoint?.ToString() ?? "(default)"}, ChunkSize = {ChunkSize}, UploadConcurrency = {UploadConcurrency}, UploadCutoff = {UploadCutoff}, ");
        builder.Append(CultureInfo.InvariantCulture, $"AccessTier = {AccessTier?.ToString() ?? "(default)"}, DirectoryMarkers = {DirectoryMarkers}");
        return true;
    }

    private static AccessTier? ParseTier(string? text) => text is null ? default(AccessTier?) : text.ToLowerInvariant() switch
    {
        "hot" => Azure.Storage.Blobs.Models.AccessTier.Hot,
        "cool" => Azure.Storage.Blobs.Models.AccessTier.Cool,
        "cold" => Azure.Storage.Blobs.Models.AccessTier.Cold,
        "archive" => Azure.Storage.Blobs.Models.AccessTier.Archive,
        _ => throw Invalid($"azureblob access_tier '{text}' is not one of hot, cool, cold, archive"),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static VfsException Invalid(string message) => new(VfsErrorKind.Invalid, message);
}
