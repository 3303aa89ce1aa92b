namespace VfsGateway.Vfs.Registry;

/// <summary>Creates a backend from resolved options; validates them before the first I/O.</summary>
public delegate ValueTask<IBackend> BackendFactory(BackendConfig config, CancellationToken cancellationToken);
