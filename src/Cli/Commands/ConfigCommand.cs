using System.CommandLine;
using VfsGateway.Cli.Remotes;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway config create|show|delete</c>: scriptable editing of the config file the server reads
/// (--config, $GATEWAY_CONFIG, else ~/.config/gateway/gateway.conf). Values of secret options are
/// stored obscured as rclone stores passwords, and never printed by show.
/// </summary>
internal sealed class ConfigCommand(CliEnvironment env)
{
    private const string Mask = "*** (secret)";

    private readonly Option<string> _config = new("--config")
    {
        Description = $"The config file [default: ${ConfigFileLocator.EnvVar}, else ~/.config/gateway/gateway.conf]",
        HelpName = "file",
        Recursive = true,
    };

    public Command Build()
    {
        var command = new Command("config", "Create, show and delete named remotes in the config file") { _config };
        command.Add(BuildCreate());
        command.Add(BuildShow());
        command.Add(BuildDelete());
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The remote's name" };

    private Command BuildCreate()
    {
        var name = NameArgument();
        var type = new Argument<string>("TYPE") { Description = "The backend type ('gateway backends' lists them)" };
        var pairs = new Argument<string[]>("KEY=VALUE") { Description = "Backend options", Arity = ArgumentArity.ZeroOrMore };
        var noObscure = new Option<bool>("--no-obscure") { Description = "Values of secret options are already obscured (by 'gateway obscure' or rclone)" };
        var command = new Command("create", "Create a remote, or replace one of the same name") { name, type, pairs, noObscure };
        command.SetAction(async (parse, _) =>
        {
            var remote = parse.GetValue(name)!;
            if (!RemoteParser.IsValidName(remote))
            {
                throw CliException.Usage($"invalid remote name '{remote}'");
            }

            var registration = FindType(parse.GetValue(type)!);
            var values = new List<KeyValuePair<string, string>> { new("type", registration.Name) };
            foreach (var pair in parse.GetValue(pairs) ?? [])
            {
                values.Add(ParsePair(registration, pair, parse.GetValue(noObscure)));
            }

            var path = ConfigFileLocator.Locate(parse.GetValue(_config), env.GetEnvironmentVariable).Path;
            var existed = ConfigFileEditor.SetSection(path, remote, values);
            await env.Error.WriteLineAsync($"{(existed ? "Replaced" : "Created")} remote [{remote}] in {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command BuildShow()
    {
        var name = new Argument<string?>("NAME") { Description = "Show only this remote", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("show", "Show the remotes, with secrets masked") { name };
        command.SetAction(async (parse, _) =>
        {
            var file = ConfigFileLocator.Load(parse.GetValue(_config), env.GetEnvironmentVariable);
            var only = parse.GetValue(name);
            var names = only is null ? file.SectionNames.ToList() : [only];
            var first = true;
            foreach (var remote in names)
            {
                if (!file.TryGetSection(remote, out var section))
                {
                    throw new CliException($"no remote [{remote}] in {file.Source}");
                }

                if (!first)
                {
                    await env.Out.WriteLineAsync().ConfigureAwait(false);
                }

                first = false;
                await env.Out.WriteLineAsync($"[{remote}]").ConfigureAwait(false);
                env.Registry.TryGet(section.GetValueOrDefault("type") ?? string.Empty, out var registration);
                foreach (var (key, value) in section)
                {
                    var secret = registration?.FindOption(key)?.IsSecret == true;
                    await env.Out.WriteLineAsync($"{key} = {(secret ? Mask : value)}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private Command BuildDelete()
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a remote") { name };
        command.SetAction(async (parse, _) =>
        {
            var remote = parse.GetValue(name)!;
            var (path, _) = ConfigFileLocator.Locate(parse.GetValue(_config), env.GetEnvironmentVariable);
            if (!File.Exists(path) || !ConfigFileEditor.DeleteSection(path, remote))
            {
                throw new CliException($"no remote [{remote}] in {path}");
            }

            await env.Error.WriteLineAsync($"Deleted remote [{remote}] from {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private BackendRegistration FindType(string type)
    {
        if (env.Registry.TryGet(type, out var registration))
        {
            return registration;
        }

        var known = env.Registry.All.Select(r => r.Name).ToList();
        throw CliException.Usage($"unknown backend type '{type}'{UsageErrors.Suggest(type, known)} (known types: {string.Join(", ", known)})");
    }

    private static KeyValuePair<string, string> ParsePair(BackendRegistration registration, string pair, bool alreadyObscured)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw CliException.Usage($"expected KEY=VALUE, got '{pair}'");
        }

        var key = pair[..eq].Trim().Replace('-', '_');
        var value = pair[(eq + 1)..];
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            throw CliException.Usage($"the value of '{key}' has a line break, which the config file cannot hold");
        }

        var option = registration.FindOption(key)
            ?? throw CliException.Usage($"backend '{registration.Name}' has no option '{key}'{UsageErrors.Suggest(key, registration.Options.Select(o => o.Name))} (see 'gateway backends')");
        if (!option.IsSecret)
        {
            return new(option.Name, value);
        }

        if (alreadyObscured && !Obscure.TryReveal(value, out _))
        {
            throw CliException.Usage($"the value of '{option.Name}' is not obscured (drop --no-obscure, or make it with 'gateway obscure')");
        }

        return new(option.Name, alreadyObscured ? value : Obscure.Hide(value));
    }
}
