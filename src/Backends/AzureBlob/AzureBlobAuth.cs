namespace VfsGateway.Backends.AzureBlob;

/// <summary>How the backend authenticates, chosen once from the options in their documented order.</summary>
public enum AzureBlobAuth
{
    ConnectionString,
    SharedKey,
    SasUrl,
    EnvAuth,
}
