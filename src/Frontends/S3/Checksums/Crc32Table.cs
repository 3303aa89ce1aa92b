using System.Buffers.Binary;

namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>
/// A reflected 32-bit CRC, table-driven with slicing-by-8 (eight 256-entry tables, eight bytes per
/// step). System.IO.Hashing is not available to this project, so CRC32 and CRC32C live here.
/// </summary>
internal sealed class Crc32Table
{
    private readonly uint[] _table = new uint[8 * 256];

    public Crc32Table(uint reflectedPolynomial)
    {
        for (uint i = 0; i < 256; i++)
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
                _table[(k * 256) + i] = (previous >> 8) ^ _table[previous & 0xFF];
            }
        }
    }

    /// <summary>IEEE 802.3 CRC-32 (zlib, PNG, AWS "CRC32").</summary>
    public static Crc32Table Ieee { get; } = new(0xEDB88320u);

    /// <summary>Castagnoli CRC-32C (iSCSI, AWS "CRC32C").</summary>
    public static Crc32Table Castagnoli { get; } = new(0x82F63B78u);

    /// <summary>Continues <paramref name="crc"/> (the raw register, not inverted) over <paramref name="data"/>.</summary>
    public uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var t = _table.AsSpan();
        while (data.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[(7 * 256) + (int)(one & 0xFF)] ^ t[(6 * 256) + (int)((one >> 8) & 0xFF)] ^
                  t[(5 * 256) + (int)((one >> 16) & 0xFF)] ^ t[(4 * 256) + (int)(one >> 24)] ^
                  t[(3 * 256) + (int)(two & 0xFF)] ^ t[(2 * 256) + (int)((two >> 8) & 0xFF)] ^
                  t[256 + (int)((two >> 16) & 0xFF)] ^ t[(int)(two >> 24)];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = (crc >> 8) ^ t[(int)((crc ^ b) & 0xFF)];
        }

        return crc;
    }
}
