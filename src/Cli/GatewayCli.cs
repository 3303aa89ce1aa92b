using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using VfsGateway.Cli.Commands;
using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Cli;

/// <summary>
/// The command tree and the exit-code contract: 0 success, 1 a runtime or startup error (one line
/// "gateway: ..." on stderr, no stack trace for expected errors), 2 a usage error.
/// </summary>
internal static class GatewayCli
{
    public static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("gateway: serve storage backends over restic's REST protocol and the S3 API");
        var serve = new Command("serve", "Serve a remote over a protocol");
        serve.Add(new ServeResticCommand(env).Build());
        serve.Add(new ServeS3Command(env).Build());
        root.Add(serve);
        // One instance per command: an option object belongs to one command.
        root.Add(new LsCommand(env).BuildLs());
        root.Add(new LsCommand(env).BuildLsl());
        root.Add(new LsCommand(env).BuildLsd());
        root.Add(new CatCommand(env).Build());
        root.Add(new CopyCommand(env).Build(sync: false));
        root.Add(new CopyCommand(env).Build(sync: true));
        root.Add(new HtpasswdCommand(env).Build());
        root.Add(new ConfigCommand(env).Build());
        var obscure = new ObscureCommand(env);
        root.Add(obscure.BuildObscure());
        root.Add(obscure.BuildReveal());
        root.Add(new VersionCommand(env).Build());
        var backends = new BackendsCommand(env);
        root.Add(backends.Build("backends"));
        var help = new Command("help", "Show help topics");
        help.Add(backends.Build("backends"));
        help.SetAction(async (_, ct) =>
        {
            await root.Parse("--help").InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error }, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        root.Add(help);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        var root = Build(env);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var errors = UsageErrors.Describe(parse);
            foreach (var error in errors)
            {
                await env.Error.WriteLineAsync($"gateway: {error}").ConfigureAwait(false);
            }

            if (errors is ["missing command"])
            {
                // `gateway` alone: show what it can do.
                foreach (var line in UsageErrors.CommandList(root))
                {
                    await env.Error.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            await env.Error.WriteLineAsync($"Run '{UsageErrors.CommandPath(parse.CommandResult)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = env.Out,
                Error = env.Error,
                // The server handles SIGINT/SIGTERM itself (graceful drain); the parser must not cut it short.
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await env.Error.WriteLineAsync($"gateway: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is VfsException or GatewayStartupException)
        {
            await env.Error.WriteLineAsync($"gateway: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Error;
        }
    }
}
