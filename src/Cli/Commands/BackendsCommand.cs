using System.CommandLine;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway backends</c> (also <c>gateway help backends</c>): every backend type with its
/// options, their flags, environment variables and defaults, straight from the registry.
/// </summary>
internal sealed class BackendsCommand(CliEnvironment env)
{
    public Command Build(string name)
    {
        var command = new Command(name, "List the backend types and their options");
        command.SetAction(async (_, _) =>
        {
            await env.Out.WriteAsync(Describe()).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal string Describe()
    {
        using var w = new StringWriter();
        w.WriteLine("Backend types (a remote is TYPE:PATH, or NAME:PATH for a config file section with 'type = TYPE'):");
        foreach (var registration in env.Registry.All)
        {
            w.WriteLine();
            w.WriteLine($"{registration.Name}: {registration.Description}");
            if (registration.Options.Count == 0)
            {
                w.WriteLine("  (no options)");
                continue;
            }

            foreach (var option in registration.Options)
            {
                var value = option.IsSecret ? " (secret)"
                    : option.Default is null ? string.Empty
                    : $" [default: {option.Default}]";
                var required = option.IsRequired ? " (required)" : string.Empty;
                w.WriteLine($"  {option.Name}: {option.Help}{value}{required}");
                w.WriteLine($"      flag {option.FlagName(registration.Name)}, env {option.EnvName(registration.Name)}");
            }
        }

        return w.ToString();
    }
}
