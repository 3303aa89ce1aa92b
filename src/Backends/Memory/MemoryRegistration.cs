using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Memory;

/// <summary>Registers the "memory" backend type.</summary>
public static class MemoryRegistration
{
    public const string Name = "memory";

    public static BackendRegistration Registration { get; } = new(
        Name,
        "In-memory storage, empty at start and gone at exit (tests, demos).",
        [],
        CreateAsync);

    private static ValueTask<IBackend> CreateAsync(BackendConfig config, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = MemoryOptions.FromConfig(config);

        // Each remote gets its own store: two "memory:" remotes never see each other's files.
        return ValueTask.FromResult<IBackend>(new MemoryBackend(options));
    }
}
