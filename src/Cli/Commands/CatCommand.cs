using System.CommandLine;
using System.Text;
using VfsGateway.Cli.Transfer;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary><c>gateway cat REMOTE:FILE</c>: a file's bytes to stdout, streamed (all of it, or --offset/--count of it).</summary>
internal sealed class CatCommand(CliEnvironment env)
{
    private readonly RemoteSupport _remotes = new(env);

    private readonly Argument<string> _remote = new("REMOTE")
    {
        Description = "The file to print: local:/path/file or a bare path, name:path/file, or :type,key=value:path/file",
    };

    private readonly Option<long> _offset = new("--offset") { Description = "Start at this byte", HelpName = "bytes" };

    private readonly Option<long> _count = new("--count")
    {
        Description = "Print at most this many bytes (-1: to the end)",
        DefaultValueFactory = _ => -1,
        HelpName = "bytes",
    };

    public Command Build()
    {
        var command = new Command("cat", "Print a file of a remote to stdout");
        command.Add(_remote);
        command.Add(_offset);
        command.Add(_count);
        _offset.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 0)
            {
                r.AddError("--offset must not be negative");
            }
        });
        _remotes.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var remote = _remotes.Resolve(parse, parse.GetValue(_remote)!);
        var offset = parse.GetValue(_offset);
        var count = parse.GetValue(_count);
        ByteRange? range = offset > 0 || count >= 0 ? new ByteRange(offset, count >= 0 ? count : null) : null;
        var target = await RemoteTarget.OpenAsync(remote, cancellationToken).ConfigureAwait(false);
        await using (target.ConfigureAwait(false))
        {
            if (target.File is not { } file)
            {
                throw new CliException(await target.ExistsAsync(cancellationToken).ConfigureAwait(false)
                    ? $"'{remote.Display}' is a directory, not a file"
                    : $"'{remote.Display}' not found");
            }

            Stream content;
            try
            {
                content = await target.Vfs.OpenReadAsync(file.Path, range, cancellationToken).ConfigureAwait(false);
            }
            catch (VfsException e)
            {
                throw new CliException($"cannot read '{remote.Display}': {e.Message}", e);
            }

            await using (content.ConfigureAwait(false))
            {
                await env.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (env.OpenStandardOutput is { } open)
                {
                    var stdout = open();
                    await using (stdout.ConfigureAwait(false))
                    {
                        await StreamCopier.CopyAsync(content, stdout, null, null, cancellationToken).ConfigureAwait(false);
                        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                    var buffer = new char[StreamCopier.DefaultBufferSize / 2];
                    int read;
                    while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await env.Out.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return ExitCodes.Ok;
    }
}
