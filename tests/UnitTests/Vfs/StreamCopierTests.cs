using System.Security.Cryptography;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

public sealed class StreamCopierTests
{
    [Fact]
    public async Task CopyAsync_UnknownLength_CopiesAllAndHashesInOnePass()
    {
        var data = RandomNumberGenerator.GetBytes(300_000);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var copied = await StreamCopier.CopyAsync(new MemoryStream(data), destination, null, hash, CancellationToken.None, bufferSize: 4096);

        Assert.Equal(data.Length, copied);
        Assert.Equal(data, destination.ToArray());
        Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());
    }

    [Fact]
    public async Task CopyAsync_Length_StopsThere()
    {
        var data = RandomNumberGenerator.GetBytes(1000);
        var source = new MemoryStream(data);
        using var destination = new MemoryStream();

        var copied = await StreamCopier.CopyAsync(source, destination, 300, null, CancellationToken.None);

        Assert.Equal(300, copied);
        Assert.Equal(data[..300], destination.ToArray());
        Assert.Equal(300, source.Position);
    }

    [Fact]
    public async Task CopyAsync_SourceShorterThanLength_ThrowsInvalid()
    {
        using var destination = new MemoryStream();

        var e = await Assert.ThrowsAsync<VfsException>(
            async () => await StreamCopier.CopyAsync(new MemoryStream(new byte[10]), destination, 11, null, CancellationToken.None));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }
}
