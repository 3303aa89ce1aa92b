using System.CommandLine;
using VfsGateway.Cli.Remotes;
using VfsGateway.Vfs;

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

    public ResolvedRemote Resolve(ParseResult parseResult, string remote)
    {
        var resolver = new RemoteResolver(
            _env.Registry,
            _env.GetEnvironmentVariable,
            () => ConfigFileLocator.Load(parseResult.GetValue(Config), _env.GetEnvironmentVariable));
        return resolver.Resolve(remote, registration => _flags.ExplicitValues(parseResult, registration));
    }

    public static async Task<IBackend> OpenAsync(ResolvedRemote remote, CancellationToken cancellationToken)
    {
        try
        {
            return await remote.Config.Registration.Factory(remote.Config, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e)
        {
            throw new CliException($"cannot open remote '{remote.Display}': {e.Message}", e);
        }
    }
}
