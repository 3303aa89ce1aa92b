using System.CommandLine;
using System.Globalization;
using VfsGateway.Cli.Transfer;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway ls|lsl|lsd REMOTE</c>, rclone's listing commands through the Vfs, a quick way to
/// check a remote before serving it: ls prints "size path" of every file below the remote
/// (recursively), lsl adds the modification time, lsd prints the directories (one level, or all
/// with -R). Output is sorted by path. A remote that names a file lists that file.
/// </summary>
internal sealed class LsCommand(CliEnvironment env)
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private readonly RemoteSupport _remotes = new(env);

    private readonly Argument<string> _remote = new("REMOTE")
    {
        Description = "The directory to list: local:/path or a bare path, memory:, name:path, or :type,key=value:path",
    };

    private readonly Option<int> _maxDepth = new("--max-depth")
    {
        Description = "Descend at most this many directory levels (0: no limit; lsd without -R: 1)",
        HelpName = "n",
    };

    private readonly Option<bool> _recursive = new("--recursive", "-R") { Description = "List directories at every level" };

    private enum Kind
    {
        Ls,
        Lsl,
        Lsd,
    }

    public Command BuildLs() => Build(Kind.Ls, "ls", "List the files below a remote, recursively: size and path");

    public Command BuildLsl() => Build(Kind.Lsl, "lsl", "List the files below a remote, recursively: size, modification time (UTC) and path");

    public Command BuildLsd() => Build(Kind.Lsd, "lsd", "List the directories of a remote (add -R for all levels)");

    /// <summary>An lsl line: size right-aligned in 9 columns (wider when needed), modification time in UTC, path.</summary>
    internal static string FormatLine(Entry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.Size,9} {entry.ModTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)} {entry.Path}");

    /// <summary>An lsd line, as rclone prints it: -1 where a directory has no size or count.</summary>
    internal static string FormatDirectory(Entry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{-1,12} {entry.ModTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)} {-1,9} {entry.Path}");

    private Command Build(Kind kind, string name, string description)
    {
        var command = new Command(name, description);
        command.Add(_remote);
        command.Add(_maxDepth);
        if (kind == Kind.Lsd)
        {
            command.Add(_recursive);
        }

        _remotes.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, kind, ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, Kind kind, CancellationToken cancellationToken)
    {
        var remote = _remotes.Resolve(parse, parse.GetValue(_remote)!);
        var maxDepth = parse.GetValue(_maxDepth);
        if (kind == Kind.Lsd && !parse.GetValue(_recursive) && maxDepth == 0)
        {
            maxDepth = 1;
        }

        var target = await RemoteTarget.OpenAsync(remote, cancellationToken).ConfigureAwait(false);
        await using (target.ConfigureAwait(false))
        {
            if (!await target.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new CliException($"'{remote.Display}' not found");
            }

            var entries = new List<Entry>();
            try
            {
                if (maxDepth == 1 && target.File is null)
                {
                    // One level: a plain listing, no walk (and no recursive listing of a whole bucket).
                    await foreach (var entry in target.Vfs.ListAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false))
                    {
                        entries.Add(entry);
                    }
                }
                else
                {
                    entries = await target.ListAllAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (VfsException e)
            {
                throw new CliException($"cannot list '{remote.Display}': {e.Message}", e);
            }

            var shown = entries
                .Where(e => e.IsDirectory == (kind == Kind.Lsd) && (maxDepth <= 0 || target.File is not null || e.Path.Depth <= maxDepth))
                .OrderBy(e => e.Path);
            foreach (var entry in shown)
            {
                var line = kind switch
                {
                    Kind.Ls => string.Create(CultureInfo.InvariantCulture, $"{entry.Size,9} {entry.Path}"),
                    Kind.Lsl => FormatLine(entry),
                    _ => FormatDirectory(entry),
                };
                await env.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return ExitCodes.Ok;
    }
}
