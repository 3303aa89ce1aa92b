using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Local;

/// <summary>Registers the "local" backend type; the CLI also maps a bare path remote to it.</summary>
public static class LocalRegistration
{
    public const string Name = "local";

    public static BackendRegistration Registration { get; } = new(
        Name,
        "A directory on a local disk (files are fsynced before a write is acknowledged; symlinks are skipped).",
        [],
        CreateAsync);

    private static ValueTask<IBackend> CreateAsync(BackendConfig config, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = LocalOptions.FromConfig(config);
        return ValueTask.FromResult<IBackend>(new LocalBackend(options));
    }
}
