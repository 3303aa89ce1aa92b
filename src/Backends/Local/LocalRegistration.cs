using Microsoft.Extensions.Logging;
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
        [
            new("no_xattr", "Keep object metadata (content type, x-amz-meta-*, checksums) in sidecar records under .gateway-meta instead of user extended attributes of each file (the fallback is automatic where the file system refuses them).", "false"),
        ],
        CreateAsync);

    private static ValueTask<IBackend> CreateAsync(BackendConfig config, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = LocalOptions.FromConfig(config);
        return ValueTask.FromResult<IBackend>(new LocalBackend(options, config.LoggerFactory.CreateLogger("VfsGateway.Backends.Local")));
    }
}
