using System.Text;
using VfsGateway.Frontends.S3.Checksums;

namespace VfsGateway.UnitTests.Frontends.S3;

public sealed class ChecksumTests
{
    [Theory]
    [InlineData("Crc32", "cbf43926")]
    [InlineData("Crc32C", "e3069283")]
    [InlineData("Crc64Nvme", "ae8b14860a799888")]
    [InlineData("Sha1", "f7c3bc1d808e04732adf679965ccc34ca7ae3441")]
    [InlineData("Sha256", "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225")]
    public void GetHash_CheckString123456789_MatchesCatalogue(string name, string expectedHex)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        using var checksum = new Checksum(algorithm);

        checksum.Append("123456789"u8);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(checksum.GetHashAndReset()));
    }

    [Theory]
    [InlineData("Crc32", "00000000")]
    [InlineData("Crc32C", "00000000")]
    [InlineData("Crc64Nvme", "0000000000000000")]
    public void GetHash_Empty_IsZero(string name, string expectedHex)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        using var checksum = new Checksum(algorithm);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(checksum.GetHashAndReset()));
    }

    [Theory]
    [InlineData("Crc32")]
    [InlineData("Crc32C")]
    [InlineData("Crc64Nvme")]
    public void Append_InPieces_EqualsBitwiseReference(string name)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        var data = new byte[1000];
        new Random(42).NextBytes(data);
        using var checksum = new Checksum(algorithm);

        foreach (var size in new[] { 1, 7, 8, 9, 100, 875 })
        {
            var offset = new[] { 1, 7, 8, 9, 100, 875 }.TakeWhile(s => s != size).Sum();
            checksum.Append(data.AsSpan(offset, size));
        }

        Assert.Equal(BitwiseReference(algorithm, data), Convert.ToHexStringLower(checksum.GetHashAndReset()));
    }

    [Theory]
    [InlineData("Crc32")]
    [InlineData("Crc32C")]
    [InlineData("Crc64Nvme")]
    public void Append_LargeUnalignedBuffer_EqualsBitwiseReference(string name)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        var data = new byte[70_001];
        new Random(7).NextBytes(data);
        using var checksum = new Checksum(algorithm);

        checksum.Append(data.AsSpan(0, 3));
        checksum.Append(data.AsSpan(3));

        Assert.Equal(BitwiseReference(algorithm, data), Convert.ToHexStringLower(checksum.GetHashAndReset()));
    }

    [Theory]
    [InlineData("Crc32")]
    [InlineData("Crc32C")]
    [InlineData("Crc64Nvme")]
    [InlineData("Sha256")]
    public void GetHashAndReset_SecondUse_StartsOver(string name)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        using var checksum = new Checksum(algorithm);
        checksum.Append("some earlier part"u8);
        var first = checksum.GetHashAndReset();

        checksum.Append("some earlier part"u8);

        Assert.Equal(first, checksum.GetHashAndReset());
    }

    [Fact]
    public void Crc32_QuickBrownFox_MatchesZlib()
    {
        using var checksum = new Checksum(ChecksumAlgorithm.Crc32);

        checksum.Append(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog"));

        Assert.Equal("414fa339", Convert.ToHexStringLower(checksum.GetHashAndReset()));
    }

    /// <summary>One bit at a time, straight from the polynomial definitions.</summary>
    private static string BitwiseReference(ChecksumAlgorithm algorithm, byte[] data)
    {
        if (algorithm == ChecksumAlgorithm.Crc64Nvme)
        {
            var crc = ulong.MaxValue;
            foreach (var b in data)
            {
                crc ^= b;
                for (var i = 0; i < 8; i++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x9A6C9329AC4BC9B5ul : crc >> 1;
                }
            }

            return (~crc).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        }

        var poly = algorithm == ChecksumAlgorithm.Crc32 ? 0xEDB88320u : 0x82F63B78u;
        var c = uint.MaxValue;
        foreach (var b in data)
        {
            c ^= b;
            for (var i = 0; i < 8; i++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1;
            }
        }

        return (~c).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
