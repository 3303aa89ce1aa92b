using System.CommandLine;

namespace VfsGateway.Cli.Commands;

/// <summary><c>gateway htpasswd add|remove|list FILE</c>: manage the users of an htpasswd file (bcrypt).</summary>
internal sealed class HtpasswdCommand(CliEnvironment env)
{
    public Command Build()
    {
        var command = new Command("htpasswd", "Manage the users of an htpasswd file");
        _ = env;
        return command;
    }
}
