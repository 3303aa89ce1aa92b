using System.Buffers.Binary;

namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>A reflected 64-bit CRC with slicing-by-8; AWS's CRC64NVME (the NVMe Express polynomial).</summary>
internal sealed class Crc64Table
{
    private readonly ulong[] _table = new ulong[8 * 256];

    public Crc64Table(ulong reflectedPolynomial)
    {
        for (ulong i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1;
            }

            _table[i] = crc;
        }

        for (var i = 0; i < 256; i++)
        {
            for (var k = 1; k < 8; k++)
            {
                var previous = _table[((k - 1) * 256) + i];
                _table[(k * 256) + i] = (previous >> 8) ^ _table[(int)(previous & 0xFF)];
            }
        }
    }

    /// <summary>CRC-64/NVME: reflected form of polynomial 0xAD93D23594C93659.</summary>
    public static Crc64Table Nvme { get; } = new(0x9A6C9329AC4BC9B5ul);

    public ulong Update(ulong crc, ReadOnlySpan<byte> data)
    {
        var t = _table.AsSpan();
        while (data.Length >= 8)
        {
            var x = BinaryPrimitives.ReadUInt64LittleEndian(data) ^ crc;
            crc = t[(7 * 256) + (int)(x & 0xFF)] ^ t[(6 * 256) + (int)((x >> 8) & 0xFF)] ^
                  t[(5 * 256) + (int)((x >> 16) & 0xFF)] ^ t[(4 * 256) + (int)((x >> 24) & 0xFF)] ^
                  t[(3 * 256) + (int)((x >> 32) & 0xFF)] ^ t[(2 * 256) + (int)((x >> 40) & 0xFF)] ^
                  t[256 + (int)((x >> 48) & 0xFF)] ^ t[(int)(x >> 56)];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = (crc >> 8) ^ t[(int)((crc ^ b) & 0xFF)];
        }

        return crc;
    }
}
