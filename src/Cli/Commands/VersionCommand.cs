using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace VfsGateway.Cli.Commands;

/// <summary><c>gateway version</c>: the gateway's version, the .NET runtime and the platform.</summary>
internal sealed class VersionCommand(CliEnvironment env)
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public Command Build()
    {
        var command = new Command("version", "Show the version");
        command.SetAction(async (_, _) =>
        {
            await env.Out.WriteLineAsync($"gateway {Version} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
