using System.Collections.Concurrent;
using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.TestSupport;

/// <summary>
/// A registry for CLI tests: the real memory backend, a stand-in "local" (memory-backed, so tests
/// never depend on another branch's local backend), and "fake" with every kind of option. Every
/// factory call is recorded.
/// </summary>
internal sealed class TestRegistry
{
    public TestRegistry()
    {
        Registry = new BackendRegistry()
            .Add(MemoryRegistration.Registration)
            .Add(new BackendRegistration("local", "Stand-in local disk", [new BackendOption("no_fsync", "Skip fsync", "false")], CreateAsync))
            .Add(new BackendRegistration("fake", "A backend with options", Options, CreateAsync));
    }

    public static IReadOnlyList<BackendOption> Options { get; } =
    [
        new BackendOption("host", "Server host name", IsRequired: true),
        new BackendOption("port", "Server port", "22"),
        new BackendOption("password", "Login password", "hunter2-default", IsSecret: true),
        new BackendOption("fast_mode", "Go fast", "false"),
        new BackendOption("key_file", "Private key file"),
    ];

    public BackendRegistry Registry { get; }

    public ConcurrentQueue<BackendConfig> Created { get; } = new();

    /// <summary>Files every created backend starts with (path → content).</summary>
    public Dictionary<string, string> Seed { get; } = [];

    private async ValueTask<IBackend> CreateAsync(BackendConfig config, CancellationToken cancellationToken)
    {
        Created.Enqueue(config);
        var memory = MemoryRegistration.Registration;
        var backend = await memory.Factory(new BackendConfig(memory, string.Empty, new Dictionary<string, string>()), cancellationToken);
        foreach (var (path, content) in Seed)
        {
            var vfsPath = VfsPath.Parse(path);
            if (!vfsPath.Parent.IsRoot)
            {
                await backend.MkdirAsync(vfsPath.Parent, cancellationToken);
            }

            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
            await backend.PutAsync(vfsPath, stream, new PutOptions { Length = stream.Length, ModTime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero) }, cancellationToken);
        }

        return backend;
    }
}
