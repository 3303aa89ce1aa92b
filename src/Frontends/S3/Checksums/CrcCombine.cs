namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>
/// The CRC of a concatenation from the CRCs of its pieces (zlib's crc32_combine, generalised to the
/// three reflected CRCs S3 uses): what a FULL_OBJECT multipart checksum is, computed without reading
/// the object again. All three have init = xorout = all ones, so the final values combine directly.
/// </summary>
internal static class CrcCombine
{
    /// <summary>CRC(A ‖ B) from CRC(A), CRC(B) and the length of B in bytes (values as S3 prints them, big-endian numbers).</summary>
    public static ulong Combine(ChecksumAlgorithm algorithm, ulong crcA, ulong crcB, long lengthB)
    {
        var (poly, width) = algorithm switch
        {
            ChecksumAlgorithm.Crc32 => (0xEDB88320UL, 32),
            ChecksumAlgorithm.Crc32C => (0x82F63B78UL, 32),
            ChecksumAlgorithm.Crc64Nvme => (0x9A6C9329AC4BC9B5UL, 64),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "only CRCs combine"),
        };
        if (lengthB == 0)
        {
            return crcA;
        }

        // Reflected representation: x^k is bit (width - 1 - k). Start with x^0, multiply by x^(8·2^i) for each set bit i of the length.
        var top = 1UL << (width - 1);
        var power = top;
        var square = top >> 8;
        for (var n = (ulong)lengthB; n != 0; n >>= 1)
        {
            if ((n & 1) != 0)
            {
                power = MultiplyModP(square, power, poly, top);
            }

            square = MultiplyModP(square, square, poly, top);
        }

        return MultiplyModP(power, crcA, poly, top) ^ crcB;
    }

    /// <summary>a·b mod P in the reflected bit order (zlib's multmodp); a is never zero here.</summary>
    private static ulong MultiplyModP(ulong a, ulong b, ulong poly, ulong top)
    {
        var m = top;
        var p = 0UL;
        while (true)
        {
            if ((a & m) != 0)
            {
                p ^= b;
                if ((a & (m - 1)) == 0)
                {
                    break;
                }
            }

            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ poly : b >> 1;
        }

        return p;
    }
}
