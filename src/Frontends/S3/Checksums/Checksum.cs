using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>
/// An incremental S3 checksum; the result is the big-endian digest, as S3 base64-encodes it.
/// The CRCs come from System.IO.Hashing (CRC-32, CRC-32C and CRC-64/NVME parameter sets), the SHAs from IncrementalHash.
/// </summary>
internal sealed class Checksum : IDisposable
{
    private readonly IncrementalHash? _hash;
    private readonly Crc32? _crc32;
    private readonly Crc64? _crc64;

    public Checksum(ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case ChecksumAlgorithm.Crc32: _crc32 = new Crc32(); break;
            case ChecksumAlgorithm.Crc32C: _crc32 = new Crc32(Crc32ParameterSet.Crc32C); break;
            case ChecksumAlgorithm.Crc64Nvme: _crc64 = new Crc64(Crc64ParameterSet.Nvme); break;
            case ChecksumAlgorithm.Sha1: _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1); break;
            default: _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256); break;
        }
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
        if (_crc32 is not null)
        {
            _crc32.Append(data);
        }
        else if (_crc64 is not null)
        {
            _crc64.Append(data);
        }
        else
        {
            _hash!.AppendData(data);
        }
    }

    /// <summary>The digest in S3's byte order (big-endian for the CRCs), then starts over.</summary>
    public byte[] GetHashAndReset()
    {
        if (_crc32 is not null)
        {
            var result = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(result, _crc32.GetCurrentHashAsUInt32());
            _crc32.Reset();
            return result;
        }

        if (_crc64 is not null)
        {
            var result = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(result, _crc64.GetCurrentHashAsUInt64());
            _crc64.Reset();
            return result;
        }

        return _hash!.GetHashAndReset();
    }

    public void Dispose() => _hash?.Dispose();

    private static bool Set(ChecksumAlgorithm value, out ChecksumAlgorithm algorithm)
    {
        algorithm = value;
        return true;
    }
}
