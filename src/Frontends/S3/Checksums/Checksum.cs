using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>An incremental S3 checksum; the result is the big-endian digest, as S3 base64-encodes it.</summary>
internal sealed class Checksum : IDisposable
{
    private readonly IncrementalHash? _hash;
    private uint _crc32 = uint.MaxValue;
    private ulong _crc64 = ulong.MaxValue;

    public Checksum(ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        _hash = algorithm switch
        {
            ChecksumAlgorithm.Sha1 => IncrementalHash.CreateHash(HashAlgorithmName.SHA1),
            ChecksumAlgorithm.Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
            _ => null,
        };
    }

    public ChecksumAlgorithm Algorithm { get; }

    /// <summary>The header that carries it: x-amz-checksum-crc32 etc.</summary>
    public string HeaderName => HeaderFor(Algorithm);

    public static string HeaderFor(ChecksumAlgorithm algorithm) => "x-amz-checksum-" + algorithm.ToString().ToLowerInvariant();

    public static bool TryParseName(string? name, out ChecksumAlgorithm algorithm)
    {
        algorithm = default;
        return name?.ToUpperInvariant() switch
        {
            "CRC32" => Set(ChecksumAlgorithm.Crc32, out algorithm),
            "CRC32C" => Set(ChecksumAlgorithm.Crc32C, out algorithm),
            "CRC64NVME" => Set(ChecksumAlgorithm.Crc64Nvme, out algorithm),
            "SHA1" => Set(ChecksumAlgorithm.Sha1, out algorithm),
            "SHA256" => Set(ChecksumAlgorithm.Sha256, out algorithm),
            _ => false,
        };
    }

    /// <summary>The digest size in bytes.</summary>
    public static int SizeOf(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C => 4,
        ChecksumAlgorithm.Crc64Nvme => 8,
        ChecksumAlgorithm.Sha1 => 20,
        _ => 32,
    };

    public void Append(ReadOnlySpan<byte> data)
    {
        switch (Algorithm)
        {
            case ChecksumAlgorithm.Crc32: _crc32 = Crc32Table.Ieee.Update(_crc32, data); break;
            case ChecksumAlgorithm.Crc32C: _crc32 = Crc32Table.Castagnoli.Update(_crc32, data); break;
            case ChecksumAlgorithm.Crc64Nvme: _crc64 = Crc64Table.Nvme.Update(_crc64, data); break;
            default: _hash!.AppendData(data); break;
        }
    }

    public byte[] GetHashAndReset()
    {
        byte[] result;
        switch (Algorithm)
        {
            case ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C:
                result = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(result, ~_crc32);
                _crc32 = uint.MaxValue;
                break;
            case ChecksumAlgorithm.Crc64Nvme:
                result = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(result, ~_crc64);
                _crc64 = ulong.MaxValue;
                break;
            default:
                result = _hash!.GetHashAndReset();
                break;
        }

        return result;
    }

    public void Dispose() => _hash?.Dispose();

    private static bool Set(ChecksumAlgorithm value, out ChecksumAlgorithm algorithm)
    {
        algorithm = value;
        return true;
    }
}
