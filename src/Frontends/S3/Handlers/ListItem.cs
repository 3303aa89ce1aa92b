using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>One row of a listing: an object (with its entry) or a common prefix.</summary>
internal sealed record ListItem(string Key, Entry? Entry)
{
    public bool IsPrefix => Entry is null;

    /// <summary>An object's storage class when not STANDARD.</summary>
    public string? StorageClass { get; init; }
}
