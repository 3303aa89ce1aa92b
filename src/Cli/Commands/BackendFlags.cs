using System.CommandLine;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// One flag per backend option, generated from the registry: --&lt;type&gt;-&lt;option&gt; (e.g.
/// --sftp-key-file). Options whose default is "true"/"false" become switches ("--local-no-fsync",
/// "--local-no-fsync=false"); the rest take a value. Help shows each default except a secret's,
/// and the environment variable that also sets it.
/// </summary>
internal sealed class BackendFlags
{
    private readonly List<(BackendRegistration Registration, BackendOption Option, Option Flag)> _flags = [];

    public BackendFlags(BackendRegistry registry)
    {
        foreach (var registration in registry.All)
        {
            foreach (var option in registration.Options)
            {
                _flags.Add((registration, option, CreateFlag(registration, option)));
            }
        }
    }

    public void AddTo(Command command)
    {
        var taken = new HashSet<string>(command.Options.SelectMany(o => o.Aliases.Append(o.Name)), StringComparer.Ordinal);
        foreach (var (_, _, flag) in _flags)
        {
            // A generated name that collides with a command's own flag would make the parser throw.
            if (taken.Add(flag.Name))
            {
                command.Add(flag);
            }
        }
    }

    /// <summary>The flags for <paramref name="registration"/>'s options that were given explicitly (defaults excluded).</summary>
    public IReadOnlyDictionary<string, string> ExplicitValues(ParseResult parseResult, BackendRegistration registration)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (reg, option, flag) in _flags)
        {
            if (!ReferenceEquals(reg, registration) || parseResult.GetResult(flag) is not { Implicit: false })
            {
                continue;
            }

            var value = flag switch
            {
                Option<bool> b => parseResult.GetValue(b) ? "true" : "false",
                Option<string> s => parseResult.GetValue(s),
                _ => null,
            };
            if (value is not null)
            {
                values[option.Name] = value;
            }
        }

        return values;
    }

    internal static bool IsSwitch(BackendOption option) =>
        !option.IsSecret && option.Default is { } d && (d.Equals("true", StringComparison.OrdinalIgnoreCase) || d.Equals("false", StringComparison.OrdinalIgnoreCase));

    private static Option CreateFlag(BackendRegistration registration, BackendOption option)
    {
        var description = $"{option.Help} (env {option.EnvName(registration.Name)})";
        if (IsSwitch(option))
        {
            var isTrue = option.Default!.Equals("true", StringComparison.OrdinalIgnoreCase);
            return new Option<bool>(option.FlagName(registration.Name))
            {
                // System.CommandLine prints no default for switches; "false" goes without saying, "true" does not.
                Description = isTrue ? description + " [default: true]" : description,
                DefaultValueFactory = _ => isTrue,
            };
        }

        var flag = new Option<string>(option.FlagName(registration.Name))
        {
            Description = option.IsSecret ? description + " (secret)" : description,
            HelpName = "value",
        };
        if (option.Default is not null && !option.IsSecret)
        {
            var fallback = option.Default;
            flag.DefaultValueFactory = _ => fallback;
        }

        return flag;
    }
}
