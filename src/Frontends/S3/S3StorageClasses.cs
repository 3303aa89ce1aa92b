using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// x-amz-storage-class: the values AWS defines are accepted and kept with the object's metadata (the
/// gateway stores every class the same way; docs/s3.md); anything else is 400 InvalidStorageClass.
/// </summary>
internal static class S3StorageClasses
{
    public const string Standard = "STANDARD";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        Standard, "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
        "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE",
    };

    /// <summary>The request's storage class to keep: null when absent or STANDARD (the default is not stored).</summary>
    public static string? OfRequest(S3Request r) => OfValue(r.Header("x-amz-storage-class"));

    /// <summary>A requested storage class (header or POST form field) to keep: null when absent or STANDARD.</summary>
    public static string? OfValue(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // AWS compares the names exactly ("standard" is invalid).
        return !Known.Contains(value)
            ? throw new S3Exception(S3Error.InvalidStorageClass)
            : value == Standard ? null : value;
    }

    /// <summary>What listings and attributes show.</summary>
    public static string Of(ObjectMetadata? meta) => meta?.StorageClass ?? Standard;
}
