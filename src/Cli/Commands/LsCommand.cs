using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway ls REMOTE</c>: lists one directory (the remote's root) through the Vfs, as
/// "size modtime name" lines sorted by name, directories marked with a trailing '/'. A quick way
/// to check that a remote's configuration works.
/// </summary>
internal sealed class LsCommand(CliEnvironment env)
{
    private readonly RemoteSupport _remotes = new(env);

    private readonly Argument<string> _remote = new("REMOTE")
    {
        Description = "The directory to list: local:/path or a bare path, memory:, name:path, or :type,key=value:path",
    };

    public Command Build()
    {
        var command = new Command("ls", "List a directory of a remote: size, modification time (UTC), name");
        command.Add(_remote);
        _remotes.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var remote = _remotes.Resolve(parse, parse.GetValue(_remote)!);
        var backend = await RemoteSupport.OpenAsync(remote, null, cancellationToken).ConfigureAwait(false);
        var vfs = new VirtualFileSystem(backend, VfsOptions.Default, NullLogger<VirtualFileSystem>.Instance);
        await using (vfs.ConfigureAwait(false))
        {
            var entries = new List<Entry>();
            try
            {
                await foreach (var entry in vfs.ListAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(entry);
                }
            }
            catch (VfsException e)
            {
                throw new CliException($"cannot list '{remote.Display}': {e.Message}", e);
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var entry in entries)
            {
                await env.Out.WriteLineAsync(FormatLine(entry)).ConfigureAwait(false);
            }
        }

        return ExitCodes.Ok;
    }

    internal static string FormatLine(Entry entry)
    {
        var size = entry.IsDirectory ? "-" : entry.Size.ToString(CultureInfo.InvariantCulture);
        var time = entry.ModTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{size,12} {time} {entry.Name}{(entry.IsDirectory ? "/" : string.Empty)}";
    }
}
