using System.CommandLine;
using VfsGateway.Cli.Remotes;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway obscure [PASSWORD|-]</c> and <c>gateway reveal OBSCURED</c>: rclone's obscure, for
/// writing secrets into the config file by hand. Without PASSWORD, with "-" or --password-stdin the
/// password is read as one line from stdin (prompted for without echo on a terminal), which keeps it
/// out of the process list.
/// </summary>
internal sealed class ObscureCommand(CliEnvironment env)
{
    public Command BuildObscure()
    {
        var password = new Argument<string?>("PASSWORD") { Description = "The password; omit it or give '-' to read it from stdin", Arity = ArgumentArity.ZeroOrOne };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password as one line from stdin, even on a terminal" };
        var command = new Command("obscure", "Obscure a password for the config file (rclone-compatible)") { password, passwordStdin };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(password);
            var fromStdin = parse.GetValue(passwordStdin);
            if (fromStdin && given is not null && given != "-")
            {
                throw CliException.Usage("give the password either as an argument or with --password-stdin, not both");
            }

            var plain = given is null or "-" || fromStdin ? await ReadPasswordAsync(fromStdin, ct).ConfigureAwait(false) : given;
            await env.Out.WriteLineAsync(Obscure.Hide(plain)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    public Command BuildReveal()
    {
        var obscured = new Argument<string>("OBSCURED") { Description = "A value made by 'gateway obscure' or 'rclone obscure'" };
        var command = new Command("reveal", "Show the password in an obscured value") { obscured };
        command.SetAction(async (parse, _) =>
        {
            if (!Obscure.TryReveal(parse.GetValue(obscured)!, out var plain))
            {
                throw new CliException("not an obscured value (expected the output of 'gateway obscure')");
            }

            await env.Out.WriteLineAsync(plain).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private async Task<string> ReadPasswordAsync(bool forceStdin, CancellationToken cancellationToken)
    {
        string? line;
        if (forceStdin || !env.IsInteractive)
        {
            line = await env.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await env.Error.WriteAsync("Password: ").ConfigureAwait(false);
            line = env.ReadSecretLine();
        }

        return string.IsNullOrEmpty(line) ? throw new CliException("no password given (give it as one line on stdin)") : line;
    }
}
