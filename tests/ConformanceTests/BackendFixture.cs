using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>
/// Everything the conformance suite needs to know about one backend, so that the suite itself
/// never asks which backend it has. One instance per test class (IClassFixture); it may start a
/// server in <see cref="InitializeAsync"/> and must stop it in <see cref="DisposeAsync"/>.
/// </summary>
public abstract class BackendFixture : IAsyncLifetime
{
    /// <summary>A new backend whose root is the fresh, not yet existing sub-root <paramref name="subRoot"/> of the fixture's area.</summary>
    public abstract ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken);

    /// <summary>What the backend cannot do beyond what <see cref="BackendFeatures"/> already says.</summary>
    public virtual UnsupportedFeatures Unsupported => UnsupportedFeatures.None;

    /// <summary>How far a stored modification time may be from the one that was set.</summary>
    public virtual TimeSpan ModTimePrecision => TimeSpan.FromSeconds(1);

    /// <summary>Size of the "large object" tests: above 8 MiB, the usual multipart/chunk boundary.</summary>
    public virtual long LargeObjectSize => (9L * 1024 * 1024) + 12345;

    /// <summary>
    /// A second, independent backend instance over the same storage area as the one made for
    /// <paramref name="subRoot"/> (another gateway process in production), or null when the backend
    /// cannot have two instances over one storage (memory: each instance is its own store). The
    /// multi-instance tests then use two Vfs objects over the one backend instead.
    /// </summary>
    public virtual ValueTask<IBackend?> CreateSecondInstanceAsync(string subRoot, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBackend?>(null);

    /// <summary>
    /// How long after a put has been answered the server may still be writing the object (a server
    /// bug the suite has to live with, never a property of our backends); zero: a put is complete
    /// when it is answered.
    /// </summary>
    public virtual TimeSpan PutSettleTime => TimeSpan.Zero;

    /// <summary>Smallest non-last part a multipart Complete accepts (S3 servers that enforce AWS's 5 MiB); the multipart tests size their parts by it.</summary>
    public virtual int MinPartSize => 0;

    public bool Supports(UnsupportedFeatures feature) => (Unsupported & feature) == 0;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
