using System.Buffers.Binary;
using System.Xml;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>
/// S3 flexible checksums beyond one body ("Checking object integrity" in the S3 user guide): the mode a
/// multipart upload was created with, the names S3 prints them under, and the object checksum a
/// Complete computes from the parts (COMPOSITE: the checksum of the parts' binary checksums with a
/// "-N" suffix; FULL_OBJECT, CRCs only: the CRC of the whole object, combined from the parts' CRCs).
/// </summary>
internal static class S3Checksums
{
    private static readonly Dictionary<string, string> NoChecksums = [];

    /// <summary>Where an upload keeps its mode (in the Begin metadata's Checksums, replaced by the object's checksums at Complete).</summary>
    public const string AlgorithmKey = "x-amz-checksum-algorithm";

    /// <summary>The checksum type: a response header, and kept with the object's checksums.</summary>
    public const string TypeKey = "x-amz-checksum-type";

    public const string Composite = "COMPOSITE";
    public const string FullObject = "FULL_OBJECT";

    /// <summary>What a single-body upload (PutObject, PostObject) keeps with its object: the checksum it verified, as FULL_OBJECT, else none.</summary>
    public static IReadOnlyDictionary<string, string> OfBody(PayloadStream body) =>
        body.VerifiedChecksum is { } c ? new Dictionary<string, string> { [c.Key] = c.Value, [TypeKey] = FullObject } : NoChecksums;

    /// <summary>Answers a single-body upload with the checksum it verified, as AWS does.</summary>
    public static void Echo(Microsoft.AspNetCore.Http.HttpResponse response, PayloadStream body)
    {
        if (body.VerifiedChecksum is { } checksum)
        {
            response.Headers[checksum.Key] = checksum.Value;
            response.Headers[TypeKey] = FullObject;
        }
    }

    /// <summary>The name S3 uses in x-amz-checksum-algorithm and XML: CRC32, CRC32C, CRC64NVME, SHA1, SHA256.</summary>
    public static string NameOf(ChecksumAlgorithm algorithm) => algorithm.ToString().ToUpperInvariant();

    /// <summary>The XML element: ChecksumCRC32 and friends.</summary>
    public static string ElementOf(ChecksumAlgorithm algorithm) => "Checksum" + NameOf(algorithm);

    public static bool IsCrc(ChecksumAlgorithm algorithm) => algorithm is ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C or ChecksumAlgorithm.Crc64Nvme;

    /// <summary>CreateMultipartUpload's x-amz-checksum-algorithm and x-amz-checksum-type (defaults as AWS: FULL_OBJECT for CRC64NVME, else COMPOSITE).</summary>
    public static (ChecksumAlgorithm Algorithm, string Type)? ModeOfRequest(S3Request r)
    {
        var name = r.Header("x-amz-checksum-algorithm");
        var type = r.Header("x-amz-checksum-type")?.ToUpperInvariant();
        if (name is null)
        {
            return type is null
                ? null
                : throw new S3Exception(S3Error.InvalidRequest, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
        }

        if (!Checksum.TryParseName(name, out var algorithm))
        {
            throw new S3Exception(S3Error.InvalidRequest, $"Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
        }

        type ??= algorithm == ChecksumAlgorithm.Crc64Nvme ? FullObject : Composite;
        return type switch
        {
            FullObject when !IsCrc(algorithm) => throw new S3Exception(S3Error.InvalidRequest, $"The {FullObject} checksum type cannot be used with the {name.ToLowerInvariant()} checksum algorithm."),
            Composite when algorithm == ChecksumAlgorithm.Crc64Nvme => throw new S3Exception(S3Error.InvalidRequest, $"The {Composite} checksum type cannot be used with the crc64nvme checksum algorithm."),
            FullObject or Composite => (algorithm, type),
            _ => throw new S3Exception(S3Error.InvalidRequest, "Value for x-amz-checksum-type header is invalid."),
        };
    }

    /// <summary>The Begin metadata's record of the mode.</summary>
    public static Dictionary<string, string> ModeRecord((ChecksumAlgorithm Algorithm, string Type)? mode) =>
        mode is { } m ? new() { [AlgorithmKey] = NameOf(m.Algorithm), [TypeKey] = m.Type } : [];

    /// <summary>The mode an upload was created with, from its Begin metadata.</summary>
    public static (ChecksumAlgorithm Algorithm, string Type)? ModeOf(ObjectMetadata uploadMetadata) =>
        uploadMetadata.Checksums.TryGetValue(AlgorithmKey, out var name) && Checksum.TryParseName(name, out var algorithm)
            ? (algorithm, uploadMetadata.Checksums.TryGetValue(TypeKey, out var type) ? type : Composite)
            : null;

    /// <summary>A stored object's checksums as response headers: the x-amz-checksum-* value and x-amz-checksum-type (derived for records written before it was kept).</summary>
    public static IEnumerable<KeyValuePair<string, string>> HeadersOf(ObjectMetadata meta)
    {
        foreach (var pair in meta.Checksums)
        {
            if (pair.Key != AlgorithmKey)
            {
                yield return pair;
            }
        }

        if (!meta.Checksums.ContainsKey(TypeKey) && meta.Checksums.FirstOrDefault(c => c.Key != AlgorithmKey) is { Key: not null } value)
        {
            yield return new(TypeKey, value.Value.Contains('-', StringComparison.Ordinal) ? Composite : FullObject);
        }
    }

    /// <summary>The stored checksum of an object as (algorithm, value, type), when it has one.</summary>
    public static (ChecksumAlgorithm Algorithm, string Value, string Type)? StoredOf(ObjectMetadata meta)
    {
        string? type = null;
        (ChecksumAlgorithm, string)? found = null;
        foreach (var (name, value) in HeadersOf(meta))
        {
            if (name == TypeKey)
            {
                type = value;
            }
            else if (name.StartsWith("x-amz-checksum-", StringComparison.Ordinal) && Checksum.TryParseName(name["x-amz-checksum-".Length..], out var algorithm))
            {
                found = (algorithm, value);
            }
        }

        return found is { } f ? (f.Item1, f.Item2, type ?? FullObject) : null;
    }

    /// <summary>
    /// Complete: the object's checksum from the named parts, checked against what the client sent (the
    /// per-part values in the part list, x-amz-checksum-type, and an x-amz-checksum-* header with the whole
    /// object's value), as the entries to store; empty when the upload has no mode or a part has no checksum
    /// (backends that keep none).
    /// </summary>
    public static Dictionary<string, string> Complete(S3Request r, (ChecksumAlgorithm Algorithm, string Type)? mode, IReadOnlyList<UploadedPart> parts, IReadOnlyDictionary<int, string> sentPartChecksums)
    {
        if (mode is not { } m)
        {
            return [];
        }

        if (r.Header(TypeKey) is { } sentType && !string.Equals(sentType, m.Type, StringComparison.OrdinalIgnoreCase))
        {
            throw new S3Exception(S3Error.InvalidRequest, $"The upload was created using the {m.Type} checksum mode. The complete request must use the same checksum mode.");
        }

        foreach (var part in parts)
        {
            if (sentPartChecksums.TryGetValue(part.PartNumber, out var sent) && part.Checksum is { } kept && sent.Trim() != kept)
            {
                throw new S3Exception(S3Error.InvalidPart, $"The {NameOf(m.Algorithm)} checksum of part {part.PartNumber} does not match the uploaded part.");
            }
        }

        if (parts.Any(p => p.Checksum is null))
        {
            return [];
        }

        var value = m.Type == FullObject ? CombineCrcs(m.Algorithm, parts) : Convert.ToBase64String(ChecksumOfChecksums(m.Algorithm, parts)) + "-" + parts.Count;
        var header = Checksum.HeaderFor(m.Algorithm);
        if (r.Header(header) is { } expected && expected.Trim() != value && expected.Trim() + "-" + parts.Count != value)
        {
            throw new S3Exception(S3Error.BadDigest, $"The {NameOf(m.Algorithm)} you specified for the object did not match the calculated checksum.");
        }

        return new() { [header] = value, [TypeKey] = m.Type };
    }

    /// <summary>An object's checksums as XML elements (ChecksumCRC32 …, ChecksumType), in Complete's and GetObjectAttributes' answers.</summary>
    public static async Task WriteElementsAsync(XmlWriter w, IReadOnlyDictionary<string, string> checksums, bool withoutPartCount = false)
    {
        var meta = new ObjectMetadata { Checksums = checksums };
        if (StoredOf(meta) is not { } stored)
        {
            return;
        }

        var value = stored.Value;
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (withoutPartCount && dash > 0)
        {
            value = value[..dash];
        }

        await w.ElementAsync(ElementOf(stored.Algorithm), value).ConfigureAwait(false);
        await w.ElementAsync("ChecksumType", stored.Type).ConfigureAwait(false);
    }

    private static byte[] ChecksumOfChecksums(ChecksumAlgorithm algorithm, IReadOnlyList<UploadedPart> parts)
    {
        using var checksum = new Checksum(algorithm);
        foreach (var part in parts)
        {
            checksum.Append(Convert.FromBase64String(part.Checksum!));
        }

        return checksum.GetHashAndReset();
    }

    private static string CombineCrcs(ChecksumAlgorithm algorithm, IReadOnlyList<UploadedPart> parts)
    {
        var wide = algorithm == ChecksumAlgorithm.Crc64Nvme;
        ulong crc = 0;
        foreach (var part in parts)
        {
            var bytes = Convert.FromBase64String(part.Checksum!);
            var partCrc = wide ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
            crc = CrcCombine.Combine(algorithm, crc, partCrc, part.Size);
        }

        var result = new byte[wide ? 8 : 4];
        if (wide)
        {
            BinaryPrimitives.WriteUInt64BigEndian(result, crc);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(result, (uint)crc);
        }

        return Convert.ToBase64String(result);
    }
}
