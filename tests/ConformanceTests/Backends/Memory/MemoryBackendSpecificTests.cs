using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Memory;

public sealed class MemoryBackendSpecificTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("foo/bar", "foo/bar")]
    [InlineData("/foo/bar/", "foo/bar")]
    public void Options_Root_IsParsedAsPrefix(string root, string expected) =>
        Assert.Equal(expected, MemoryOptions.FromConfig(Config(root)).Root.Value);

    [Fact]
    public void Options_RootWithDotDot_IsInvalid() =>
        Assert.Equal(VfsErrorKind.Invalid, Assert.Throws<VfsException>(() => MemoryOptions.FromConfig(Config("a/../b"))).Kind);

    [Fact]
    public async Task Factory_EachCall_GetsItsOwnStore()
    {
        await using var first = await MemoryRegistration.Registration.Factory(Config(string.Empty), default);
        await using var second = await MemoryRegistration.Registration.Factory(Config(string.Empty), default);

        await first.PutAsync(VfsPath.Parse("only-in-first"), new MemoryStream([1]), new PutOptions(1), default);

        Assert.Empty(await second.ListAsync(VfsPath.Root, default).ToListAsync());
    }

    [Fact]
    public async Task Root_Prefix_ShowsNothingOutsideIt()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Parse("inner")));
        await using (backend)
        {
            await backend.PutAsync(VfsPath.Parse("a"), new MemoryStream([1]), new PutOptions(1), default);

            Assert.Equal(VfsPath.Parse("a"), Assert.Single(await backend.ListAsync(VfsPath.Root, default).ToListAsync()).Path);
            Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.StatAsync(VfsPath.Parse("inner/a"), default))).Kind);
        }
    }

    [Fact]
    public async Task FaultInjector_Exception_IsThrownInsteadOfTheOperation()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        await using (backend)
        {
            backend.FaultInjector = (op, path) => op == "put" && path.Name == "bad" ? new VfsException(VfsErrorKind.InsufficientStorage, "full") : null;

            await backend.PutAsync(VfsPath.Parse("good"), new MemoryStream([1]), new PutOptions(1), default);
            var e = await Assert.ThrowsAsync<VfsException>(async () => await backend.PutAsync(VfsPath.Parse("bad"), new MemoryStream([1]), new PutOptions(1), default));

            Assert.Equal(VfsErrorKind.InsufficientStorage, e.Kind);
            Assert.Equal(["good"], (await backend.ListAsync(VfsPath.Root, default).ToListAsync()).Select(x => x.Name));
        }
    }

    [Fact]
    public async Task Read_AcrossChunkBoundaries_IsExact()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        await using (backend)
        {
            var data = new byte[(3 * MemoryFile.ChunkSize) + 17];
            new Random(5).NextBytes(data);
            await backend.PutAsync(VfsPath.Parse("x"), new MemoryStream(data), new PutOptions(data.Length), default);

            var start = MemoryFile.ChunkSize - 3;
            var stream = await backend.OpenReadAsync(VfsPath.Parse("x"), new ByteRange(start, MemoryFile.ChunkSize + 10), default);
            await using (stream)
            {
                var buffer = new byte[MemoryFile.ChunkSize + 10];
                await stream.ReadExactlyAsync(buffer);
                Assert.Equal(data.AsSpan(start, buffer.Length).ToArray(), buffer);
                Assert.Equal(0, await stream.ReadAsync(new byte[1]));
            }
        }
    }

    private static BackendConfig Config(string root) =>
        new(MemoryRegistration.Registration, root, new Dictionary<string, string>());
}
