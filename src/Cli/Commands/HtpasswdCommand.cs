using System.CommandLine;
using VfsGateway.Frontends.Http.Auth;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway htpasswd add|remove|list FILE</c>: manage the users of an htpasswd file with bcrypt
/// hashes, so that no Apache tools are needed next to the gateway. Passwords are prompted for
/// twice without echo on a terminal, else read as one line from stdin (--password-stdin forces it),
/// never taken from the command line where other users could see them in the process list.
/// </summary>
internal sealed class HtpasswdCommand(CliEnvironment env)
{
    public Command Build()
    {
        var command = new Command("htpasswd", "Manage the users of an htpasswd file (bcrypt)");
        command.Add(BuildAdd());
        command.Add(BuildRemove());
        command.Add(BuildList());
        return command;
    }

    private static Argument<string> FileArgument() => new("FILE") { Description = "The htpasswd file" };

    private static Argument<string> UserArgument() => new("USER") { Description = "User name: letters, digits, '_', '-', '.', '@'" };

    private Command BuildAdd()
    {
        var file = FileArgument();
        var user = UserArgument();
        user.Validators.Add(result =>
        {
            var value = result.Tokens.SingleOrDefault()?.Value;
            if (!HtpasswdUserName.IsValid(value))
            {
                result.AddError($"invalid user name '{value}': use 1 to {HtpasswdUserName.MaxLength} letters, digits, '_', '-', '.' or '@'");
            }
        });
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password as one line from stdin, even on a terminal" };
        var cost = new Option<int>("--cost") { Description = $"bcrypt cost ({BcryptHash.MinCost}-{BcryptHash.MaxCost}); each step doubles the work", DefaultValueFactory = _ => BcryptHash.DefaultCost };
        cost.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < BcryptHash.MinCost or > BcryptHash.MaxCost)
            {
                result.AddError($"--cost must be between {BcryptHash.MinCost} and {BcryptHash.MaxCost}, not {value}");
            }
        });

        var command = new Command("add", "Add a user, or set the password of an existing one (creates the file)") { file, user, passwordStdin, cost };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var name = parse.GetValue(user)!;
            var password = await ReadPasswordAsync(parse.GetValue(passwordStdin), ct).ConfigureAwait(false);
            bool existed;
            try
            {
                existed = await HtpasswdEditor.AddOrUpdateAsync(path, name, password, parse.GetValue(cost), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot update '{path}': {e.Message}", e);
            }

            await env.Error.WriteLineAsync($"{(existed ? "Updating" : "Adding")} password for user {name}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command BuildRemove()
    {
        var file = FileArgument();
        var user = UserArgument();
        var command = new Command("remove", "Remove a user") { file, user };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var name = parse.GetValue(user)!;
            bool removed;
            try
            {
                removed = await HtpasswdEditor.RemoveAsync(path, name, ct).ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                removed = false;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliException($"htpasswd file '{path}' does not exist", e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot update '{path}': {e.Message}", e);
            }

            if (!removed)
            {
                throw new CliException($"user '{name}' is not in '{path}'");
            }

            await env.Error.WriteLineAsync($"Deleting password for user {name}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command BuildList()
    {
        var file = FileArgument();
        var command = new Command("list", "List the users, one per line") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            IReadOnlyList<string> users;
            try
            {
                users = await HtpasswdEditor.ListUsersAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliException($"htpasswd file '{path}' does not exist", e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read '{path}': {e.Message}", e);
            }

            foreach (var name in users)
            {
                await env.Out.WriteLineAsync(name).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private async Task<string> ReadPasswordAsync(bool fromStdin, CancellationToken cancellationToken)
    {
        if (fromStdin || !env.IsInteractive)
        {
            var line = await env.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(line))
            {
                throw new CliException("no password on stdin (give it as one line)");
            }

            return line;
        }

        await env.Error.WriteAsync("New password: ").ConfigureAwait(false);
        var first = env.ReadSecretLine();
        await env.Error.WriteAsync("Re-type new password: ").ConfigureAwait(false);
        var second = env.ReadSecretLine();
        if (string.IsNullOrEmpty(first))
        {
            throw new CliException("the password is empty");
        }

        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw new CliException("the passwords do not match");
        }

        return first;
    }
}
