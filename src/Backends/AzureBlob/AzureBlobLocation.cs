using Azure.Storage.Blobs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>Where a backend path lives: its container and its blob name there ("" for the container itself).</summary>
internal readonly record struct AzureBlobLocation(BlobContainerClient Container, string Key)
{
    /// <summary>The listing prefix of the directory this location names: "" or "key/".</summary>
    public string DirPrefix => Key.Length == 0 ? string.Empty : Key + "/";

    public bool IsContainerRoot => Key.Length == 0;
}
