namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// Where sidecar records live: under one reserved, hidden directory at the backend's root, mirroring
/// the object's path (".gateway-meta/bucket/a/b.txt" describes "bucket/a/b.txt"). One root keeps
/// every listing clean with a single filter and lets an operator see or remove all of it at once;
/// the leading dot keeps it out of S3 (bucket names cannot start with one) and restic's layout.
/// </summary>
internal static class MetadataPaths
{
    public const string RootName = ".gateway-meta";

    public static VfsPath Root { get; } = VfsPath.Root.Join(RootName);

    /// <summary>True for the reserved directory and everything below it.</summary>
    public static bool IsReserved(VfsPath path, bool caseInsensitive)
    {
        if (path.IsRoot)
        {
            return false;
        }

        var value = path.Value;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? value : value[..slash];
        return string.Equals(first, RootName, caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    public static VfsPath RecordFor(VfsPath file) => Root.Combine(file);
}
