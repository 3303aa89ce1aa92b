using System.Text.Json;

namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// The stored form of <see cref="ObjectMetadata"/> for backends that keep it as one opaque value
/// next to the bytes (the local backend's extended attribute) and the reader of the sidecar records
/// older versions wrote. A stored value names the object version it describes (size and modification
/// time), so metadata that outlived an in-place rewrite of the file by another tool is never served.
/// </summary>
public static class MetadataCodec
{
    /// <summary>The sidecar directory at a backend's root (docs/vfs.md "Object metadata").</summary>
    public static string SidecarRootName => MetadataPaths.RootName;

    /// <summary>Where the sidecar record of <paramref name="file"/> lives, relative to the backend's root.</summary>
    public static VfsPath SidecarRecordFor(VfsPath file) => MetadataPaths.RecordFor(file);

    /// <summary>The UTF-8 JSON value for <paramref name="metadata"/> of the version <paramref name="version"/>.</summary>
    public static byte[] Encode(ObjectMetadata metadata, Entry version) =>
        JsonSerializer.SerializeToUtf8Bytes(MetadataRecord.From(metadata, version), MetadataJsonContext.Default.MetadataRecord);

    /// <summary>
    /// The metadata in <paramref name="value"/> when it was written for exactly <paramref name="file"/>;
    /// null when it describes another version or is not a record at all (nothing to serve, not an error).
    /// </summary>
    public static ObjectMetadata? Decode(ReadOnlySpan<byte> value, Entry file)
    {
        try
        {
            var record = JsonSerializer.Deserialize(value, MetadataJsonContext.Default.MetadataRecord);
            return record is not null && record.Describes(file) ? record.ToMetadata() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
