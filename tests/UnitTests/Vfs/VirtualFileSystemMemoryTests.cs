using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

/// <summary>The Vfs in cache mode off over the memory backend, with faults injected through <see cref="MemoryBackend.FaultInjector"/>.</summary>
public sealed class VirtualFileSystemMemoryTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly MemoryBackend _memory = new(new MemoryOptions(VfsPath.Root));
    private readonly List<(string Operation, VfsPath Path)> _calls = [];

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime; IAsyncDisposable is there for everyone else.
    Task IAsyncLifetime.DisposeAsync() => _memory.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _memory.DisposeAsync();

    [Fact]
    public async Task DirectoryKey_PathBasedBackend_RefusedBeforeTheBackendSeesIt()
    {
        await PutAsync("d/x", 1);
        _memory.FaultInjector = (op, path) => path.IsDirectoryKey ? new InvalidOperationException($"{op} reached the backend") : null;
        var vfs = new VirtualFileSystem(_memory);
        var key = P("d").AsDirectoryKey();

        Assert.Equal(VfsErrorKind.NotSupported, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.StatAsync(key, CancellationToken.None))).Kind);
        Assert.Equal(VfsErrorKind.NotSupported, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.PutAsync(key, new MemoryStream([1]), new PutOptions(1), CancellationToken.None))).Kind);
        Assert.Equal(VfsErrorKind.NotSupported, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.DeleteAsync(key, CancellationToken.None))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.MkdirAsync(key, CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task StatAsync_TransientFaultTwice_RetriesAndSucceeds()
    {
        await PutAsync("obj", 5);
        var failures = 2;
        _memory.FaultInjector = (op, _) => op == "stat" && failures-- > 0 ? Transient() : null;

        var entry = await new VirtualFileSystem(_memory).StatAsync(P("obj"), CancellationToken.None);

        Assert.Equal(5, entry.Size);
        Assert.Equal(-1, failures);
    }

    [Fact]
    public async Task StatAsync_TransientEveryTime_GivesUpAfterThreeAttempts()
    {
        await PutAsync("obj", 5);
        var attempts = 0;
        _memory.FaultInjector = (op, _) => op == "stat" && ++attempts > 0 ? Transient() : null;

        var e = await Assert.ThrowsAsync<VfsException>(async () => await new VirtualFileSystem(_memory).StatAsync(P("obj"), CancellationToken.None));

        Assert.Equal(VfsErrorKind.Transient, e.Kind);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task OpenReadAsync_TransientFaultOnce_Retries()
    {
        await PutAsync("obj", 100);
        var failures = 1;
        _memory.FaultInjector = (op, _) => op == "open" && failures-- > 0 ? Transient() : null;

        var stream = await new VirtualFileSystem(_memory).OpenReadAsync(P("obj"), new ByteRange(90), CancellationToken.None);
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(10, copy.Length);
        }

        Assert.Equal(-1, failures);
    }

    [Fact]
    public async Task StatAsync_NonTransientFault_IsNotRetried()
    {
        var attempts = 0;
        _memory.FaultInjector = (op, _) => op == "stat" && ++attempts > 0 ? new VfsException(VfsErrorKind.PermissionDenied, "denied") : null;

        var e = await Assert.ThrowsAsync<VfsException>(async () => await new VirtualFileSystem(_memory).StatAsync(P("obj"), CancellationToken.None));

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task PutAsync_TransientFault_IsNotRetriedBecauseTheStreamIsConsumed()
    {
        var attempts = 0;
        _memory.FaultInjector = (op, _) => op == "put" && ++attempts > 0 ? Transient() : null;

        var e = await Assert.ThrowsAsync<VfsException>(
            async () => await new VirtualFileSystem(_memory).PutAsync(P("obj"), new MemoryStream(new byte[3]), new PutOptions(3), CancellationToken.None));

        Assert.Equal(VfsErrorKind.Transient, e.Kind);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task PutAsync_PartialUploadsBackend_WritesTempThenMoves()
    {
        _memory.FaultInjector = Record;
        var vfs = new VirtualFileSystem(new PartialUploadsView(_memory));

        await vfs.PutAsync(P("dir/obj"), new MemoryStream(new byte[7]), new PutOptions(7), CancellationToken.None);

        var put = Assert.Single(_calls, c => c.Operation == "put");
        Assert.True(TempNames.IsTemp(put.Path.Name));
        Assert.Equal(P("dir"), put.Path.Parent);
        Assert.Contains(("move", put.Path), _calls);
        Assert.Equal(["obj"], await NamesAsync("dir"));
        Assert.Equal(7, (await _memory.StatAsync(P("dir/obj"), CancellationToken.None)).Size);
    }

    [Fact]
    public async Task PutAsync_MoveFails_RemovesTempAndKeepsOldObject()
    {
        await PutAsync("dir/obj", 4);
        _memory.FaultInjector = (op, _) => op == "move" ? new VfsException(VfsErrorKind.InsufficientStorage, "full") : null;
        var vfs = new VirtualFileSystem(new PartialUploadsView(_memory));

        var e = await Assert.ThrowsAsync<VfsException>(
            async () => await vfs.PutAsync(P("dir/obj"), new MemoryStream(new byte[9]), new PutOptions(9), CancellationToken.None));

        Assert.Equal(VfsErrorKind.InsufficientStorage, e.Kind);
        Assert.Equal(["obj"], await NamesAsync("dir"));
        Assert.Equal(4, (await _memory.StatAsync(P("dir/obj"), CancellationToken.None)).Size);
    }

    [Fact]
    public async Task PutAsync_ContentFails_DeletesTempAndRethrowsUnchanged()
    {
        _memory.FaultInjector = Record;
        var vfs = new VirtualFileSystem(new PartialUploadsView(_memory));

        await Assert.ThrowsAsync<IOException>(
            async () => await vfs.PutAsync(P("obj"), new FailingStream(), PutOptions.Default, CancellationToken.None));

        var temp = Assert.Single(_calls, c => c.Operation == "put").Path;
        Assert.Contains(("delete", temp), _calls);
        Assert.Empty(await NamesAsync(string.Empty));
    }

    [Fact]
    public async Task ListAsync_HidesTempNames()
    {
        await PutAsync("real", 1);
        await _memory.PutAsync(TempNames.For(P("real")), new MemoryStream(new byte[1]), new PutOptions(1), CancellationToken.None);

        var names = await new VirtualFileSystem(_memory).ListAsync(VfsPath.Root, CancellationToken.None).Select(e => e.Name).ToListAsync();

        Assert.Equal(["real"], names);
        Assert.Equal(2, (await NamesAsync(string.Empty)).Count);
    }

    [Fact]
    public async Task PutAsync_TempNameOrRoot_IsRejected()
    {
        var vfs = new VirtualFileSystem(_memory);

        var temp = await Assert.ThrowsAsync<VfsException>(async () => await vfs.PutAsync(TempNames.For(P("x")), new MemoryStream(), PutOptions.Default, CancellationToken.None));
        var root = await Assert.ThrowsAsync<VfsException>(async () => await vfs.PutAsync(VfsPath.Root, new MemoryStream(), PutOptions.Default, CancellationToken.None));

        Assert.Equal(VfsErrorKind.Invalid, temp.Kind);
        Assert.Equal(VfsErrorKind.Invalid, root.Kind);
        Assert.Empty(await NamesAsync(string.Empty));
    }

    private static VfsPath P(string path) => VfsPath.Parse(path);

    private static VfsException Transient() => new(VfsErrorKind.Transient, "injected glitch");

    private Exception? Record(string operation, VfsPath path)
    {
        lock (_calls)
        {
            _calls.Add((operation, path));
        }

        return null;
    }

    private async Task PutAsync(string path, int length) =>
        await _memory.PutAsync(P(path), new MemoryStream(new byte[length]), new PutOptions(length), CancellationToken.None);

    private async Task<List<string>> NamesAsync(string dir) =>
        await _memory.ListAsync(P(dir), CancellationToken.None).Select(e => e.Name).Order(StringComparer.Ordinal).ToListAsync();

    /// <summary>The memory backend declared as leaving partial uploads, so the Vfs takes its temp-name path.</summary>
    private sealed class PartialUploadsView(MemoryBackend inner) : IBackend
    {
        public BackendFeatures Features { get; } = inner.Features with { PartialUploads = true };

        public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) => inner.ListAsync(dir, cancellationToken);

        public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

        public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) => inner.OpenReadAsync(path, range, cancellationToken);

        public ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken) => inner.PutAsync(path, content, options, cancellationToken);

        public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

        public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

        public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A client connection that drops after a few bytes.</summary>
    private sealed class FailingStream : Stream
    {
        private bool _served;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_served)
            {
                throw new IOException("connection reset by peer");
            }

            _served = true;
            buffer[offset] = 42;
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
