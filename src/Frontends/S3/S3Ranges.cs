using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>The Range header as S3 reads it: <see cref="HttpRange"/>, with S3's InvalidRange error.</summary>
internal static class S3Ranges
{
    /// <summary>Returns the resolved range (Length always set), null for the whole object; throws InvalidRange (416) when unsatisfiable.</summary>
    public static ByteRange? Parse(string? header, long size) => HttpRange.Parse(header, size, out var offset, out var count) switch
    {
        RangeKind.Partial => new ByteRange(offset, count),
        RangeKind.Unsatisfiable => throw new S3Exception(S3Error.InvalidRange),
        _ => null,
    };
}
