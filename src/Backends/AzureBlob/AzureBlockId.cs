using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// The ids of the blocks this backend stages. Azure wants every block id of one blob to have the
/// same length (Put Block answers InvalidBlobOrBlock otherwise), so plain chunked puts and multipart
/// parts share one fixed layout of 54 bytes (72 base64 characters, under the 64-byte limit):
/// magic "vgw1", kind, upload id (16), part number (2), attempt (8: milliseconds since 1970 (6) and 2
/// random bytes), block index (4), part MD5 (16, final blocks only), 3 reserved. Because the upload
/// id, the part and its MD5 are in the ids of the uncommitted blocks themselves, any gateway instance
/// can list and complete a multipart upload from Get Block List alone.
/// </summary>
internal readonly record struct AzureBlockId(AzureBlockKind Kind, ReadOnlyMemory<byte> UploadId, int PartNumber, long AttemptTicks, ushort AttemptSalt, int Index, ReadOnlyMemory<byte> Md5)
{
    public const int UploadIdLength = 16;
    private const int Length = 54;
    private static ReadOnlySpan<byte> Magic => "vgw1"u8;

    /// <summary>A new attempt stamp: milliseconds since 1970 plus two random bytes, so a newer attempt of a part sorts after an older one.</summary>
    public static (long Millis, ushort Salt) NewAttempt() =>
        (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1));

    public string Encode()
    {
        Span<byte> raw = stackalloc byte[Length];
        raw.Clear();
        Magic.CopyTo(raw);
        raw[4] = (byte)Kind;
        UploadId.Span.CopyTo(raw[5..21]);
        BinaryPrimitives.WriteUInt16BigEndian(raw[21..], (ushort)PartNumber);
        WriteUInt48BigEndian(raw[23..29], AttemptTicks);
        BinaryPrimitives.WriteUInt16BigEndian(raw[29..], AttemptSalt);
        BinaryPrimitives.WriteInt32BigEndian(raw[31..], Index);
        Md5.Span.CopyTo(raw[35..51]);
        return Convert.ToBase64String(raw);
    }

    /// <summary>Decodes an id this backend made; null for any other (another tool's blocks).</summary>
    public static AzureBlockId? TryDecode(string id)
    {
        Span<byte> raw = stackalloc byte[Length + 3];
        if (!Convert.TryFromBase64String(id, raw, out var written) || written != Length || !raw[..4].SequenceEqual(Magic))
        {
            return null;
        }

        var kind = (AzureBlockKind)raw[4];
        if (!Enum.IsDefined(kind))
        {
            return null;
        }

        return new AzureBlockId(
            kind,
            raw[5..21].ToArray(),
            BinaryPrimitives.ReadUInt16BigEndian(raw[21..]),
            ReadUInt48BigEndian(raw[23..29]),
            BinaryPrimitives.ReadUInt16BigEndian(raw[29..]),
            BinaryPrimitives.ReadInt32BigEndian(raw[31..]),
            raw[35..51].ToArray());
    }

    private static void WriteUInt48BigEndian(Span<byte> target, long value)
    {
        for (var i = 5; i >= 0; i--)
        {
            target[i] = (byte)value;
            value >>= 8;
        }
    }

    private static long ReadUInt48BigEndian(ReadOnlySpan<byte> source)
    {
        long value = 0;
        for (var i = 0; i < 6; i++)
        {
            value = (value << 8) | source[i];
        }

        return value;
    }
}
