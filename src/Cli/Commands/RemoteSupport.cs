using System.CommandLine;
using Microsoft.Extensions.Logging;
using VfsGateway.Cli.Remotes;
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
