using System.CommandLine;
using Microsoft.Extensions.Logging;
using VfsGateway.Cli.Remotes;
using VfsGateway.Frontends.Http.Status;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Cli.Commands;

/// <summary>The flags every command that opens a remote shares (--config and the backend flags), and the opening itself.</summary>
internal sealed class RemoteSupport
{
    private readonly CliEnvironment _env;
    private readonly BackendFlags _flags;

    public RemoteSupport(CliEnvironment env)
    {
        _env = env;
        _flags = new BackendFlags(env.Registry);
    }

    public Option<string> Config { get; } = new("--config")
    {
        Description = $"Config file defining named remotes (rclone.conf format) [default: ${ConfigFileLocator.EnvVar}, else ~/.config/gateway/gateway.conf]",
        HelpName = "file",
    };

    /// <summary>Adds --config and the backend flags; call after the command's own options so those come first in --help.</summary>
    public void AddTo(Command command)
    {
        command.Add(Config);
        _flags.AddTo(command);
    }

    /// <summary>The config file (--config, $GATEWAY_CONFIG or the default), empty when the default one is absent.</summary>
    public IniFile LoadConfig(ParseResult parseResult) => ConfigFileLocator.Load(parseResult.GetValue(Config), _env.GetEnvironmentVariable);

    public ResolvedRemote Resolve(ParseResult parseResult, string remote)
    {
        var resolver = new RemoteResolver(
            _env.Registry,
            _env.GetEnvironmentVariable,
            () => LoadConfig(parseResult));
        return resolver.Resolve(remote, registration => _flags.ExplicitValues(parseResult, registration));
    }

    /// <summary>Puts the Vfs over an opened backend; a cache directory in use by another process is a clear startup error.</summary>
    public static async Task<VirtualFileSystem> OpenVfsAsync(IBackend backend, VfsOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        try
        {
            return await VirtualFileSystem.CreateAsync(backend, options, loggerFactory.CreateLogger<VirtualFileSystem>(), cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw new CliException(e.Message, e);
        }
    }

    /// <summary>
    /// Before serving, the remote's root must be a directory the backend can reach: a root that is
    /// missing is created (as rclone does), one that is a file or cannot be reached stops the start
    /// with its path named, rather than the first client write failing with an empty path.
    /// </summary>
    public static async Task CheckRootAsync(IBackend backend, ResolvedRemote remote, CancellationToken cancellationToken)
    {
        var root = string.IsNullOrEmpty(remote.Config.Root) ? "/" : remote.Config.Root;
        try
        {
            try
            {
                var entry = await backend.StatAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false);
                if (entry.IsDirectory)
                {
                    return;
                }

                throw new VfsException(VfsErrorKind.NotDirectory, "it is a file, not a directory");
            }
            catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
            {
                await backend.MkdirAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (VfsException e)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            var what = e.Kind == VfsErrorKind.NotDirectory ? "it is a file, not a directory" : e.Message;
            throw new CliException($"cannot serve remote '{remote.Display}': its root '{root}' cannot be used: {what}", e);
        }
    }

    /// <summary>
    /// The readiness probe of a serve command: the backend answers a stat of the root, and the
    /// cache directory takes a small file. Messages name the remote and the directory, never secrets.
    /// </summary>
    public static Func<CancellationToken, Task<string?>> Readiness(IBackend backend, ResolvedRemote remote, string? cacheDir) => async cancellationToken =>
    {
        try
        {
            await backend.StatAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e)
        {
            return $"backend '{remote.Display}' unreachable: {e.Message}";
        }

        if (cacheDir is null)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(cacheDir);
            var probe = Path.Combine(cacheDir, $".ready-{Environment.ProcessId}");
            await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cache directory '{cacheDir}' not writable: {e.Message}";
        }

        return null;
    };

    /// <summary>What --status-page shows about the remote: the backend type, its root and the remote as typed (never an option value).</summary>
    public static StatusPageInfo StatusPageInfo(ResolvedRemote remote) =>
        new(remote.Config.Registration.Name, remote.Config.Root, remote.Display, VersionCommand.Version);

    public static async Task<IBackend> OpenAsync(ResolvedRemote remote, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        try
        {
            var config = loggerFactory is null ? remote.Config : new BackendConfig(remote.Config) { LoggerFactory = loggerFactory };
            return await config.Registration.Factory(config, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e)
        {
            throw new CliException($"cannot open remote '{remote.Display}': {e.Message}", e);
        }
    }
}
