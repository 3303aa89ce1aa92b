using System.CommandLine;
using VfsGateway.Cli.Remotes;
using VfsGateway.Cli.Transfer;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway copy SOURCE DEST</c> and <c>gateway sync SOURCE DEST</c>, as rclone's: copy the
/// source's files that are missing or differ in the destination (size, then modification time, or
/// MD5 where one side has it), skip identical ones; sync then deletes what the destination has and
/// the source does not. A source that names a single file copies that file into DEST.
/// </summary>
internal sealed class CopyCommand(CliEnvironment env)
{
    private readonly RemoteSupport _remotes = new(env);

    private readonly Argument<string> _source = new("SOURCE")
    {
        Description = "What to copy: a directory or a single file of any remote (local:/path or a bare path, name:path, :type,key=value:path)",
    };

    private readonly Argument<string> _destination = new("DEST")
    {
        Description = "The directory to copy into (created as needed)",
    };

    private readonly Option<int> _transfers = new("--transfers")
    {
        Description = "Number of files copied at the same time",
        DefaultValueFactory = _ => 4,
        HelpName = "n",
    };

    private readonly Option<bool> _dryRun = new("--dry-run", "-n") { Description = "Show what would be copied (and, for sync, deleted); change nothing" };

    private readonly Option<bool> _sizeOnly = new("--size-only") { Description = "Compare sizes only (for destinations that keep neither modification times nor MD5s, e.g. FTP without MFMT)" };

    private readonly Option<bool> _progress = new("--progress", "-P") { Description = "Show the progress display even when stderr is not a terminal" };

    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print errors only (no progress, no summary)" };

    public Command Build(bool sync)
    {
        var command = sync
            ? new Command("sync", "Make DEST identical to SOURCE: copy what differs, then delete files in DEST that SOURCE does not have")
            : new Command("copy", "Copy files from SOURCE to DEST, skipping files that are already identical; never deletes");
        command.Add(_source);
        command.Add(_destination);
        command.Add(_transfers);
        command.Add(_dryRun);
        command.Add(_sizeOnly);
        command.Add(_progress);
        command.Add(_quiet);
        _transfers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--transfers must be at least 1");
            }
        });
        _remotes.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, sync, ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, bool sync, CancellationToken cancellationToken)
    {
        var verb = sync ? "sync" : "copy";
        var sourceRemote = _remotes.Resolve(parse, parse.GetValue(_source)!);
        var destRemote = _remotes.Resolve(parse, parse.GetValue(_destination)!);
        if (RemoteOverlap.Overlaps(sourceRemote, destRemote))
        {
            throw CliException.Usage($"cannot {verb} '{sourceRemote.Display}' to '{destRemote.Display}': source and destination overlap");
        }

        var options = new TransferOptions(parse.GetValue(_transfers), parse.GetValue(_dryRun), sync, parse.GetValue(_sizeOnly));
        var mode = parse.GetValue(_quiet) ? ProgressMode.Quiet
            : parse.GetValue(_progress) || env.IsErrorTerminal ? ProgressMode.Live
            : ProgressMode.Summary;

        var source = await RemoteTarget.OpenAsync(sourceRemote, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            if (!await source.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new CliException($"source '{sourceRemote.Display}' not found");
            }

            var destination = await RemoteTarget.OpenDirectoryAsync(destRemote, cancellationToken).ConfigureAwait(false);
            await using (destination.ConfigureAwait(false))
            {
                await RequireDirectoryAsync(destination, cancellationToken).ConfigureAwait(false);
                var sourceEntries = await ListAsync(source, cancellationToken).ConfigureAwait(false);
                var destEntries = source.File is { } file
                    ? await StatAsync(destination, file.Path, cancellationToken).ConfigureAwait(false)
                    : await ListAsync(destination, cancellationToken).ConfigureAwait(false);

                // A single-file source syncs that file only: the rest of DEST is not its business.
                var plan = TransferPlanner.Plan(sourceEntries, destEntries, options.DeleteExtraneous && source.File is null, options.SizeOnly);
                var progress = new TransferProgress(env.Error, mode);
                await using (progress.ConfigureAwait(false))
                {
                    await new Transferer(source, destination, options, progress, env.Out).RunAsync(plan, cancellationToken).ConfigureAwait(false);
                    await progress.FinishAsync(verb, options.DryRun).ConfigureAwait(false);
                    return progress.Errors > 0 ? ExitCodes.Error : ExitCodes.Ok;
                }
            }
        }
    }

    /// <summary>DEST is a directory (created as needed), never a file: `copy a.txt b.txt` would otherwise fail once per file.</summary>
    private static async Task RequireDirectoryAsync(RemoteTarget destination, CancellationToken cancellationToken)
    {
        try
        {
            if (!(await destination.Vfs.StatAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false)).IsDirectory)
            {
                throw new CliException($"destination '{destination.Remote.Display}' is a file, not a directory");
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
            // Created by the first copy.
        }
        catch (VfsException e)
        {
            throw new CliException($"cannot reach '{destination.Remote.Display}': {e.Message}", e);
        }
    }

    private static async Task<List<Entry>> ListAsync(RemoteTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return await target.ListAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e)
        {
            throw new CliException($"cannot list '{target.Remote.Display}': {e.Message}", e);
        }
    }

    /// <summary>The destination's entry at <paramref name="path"/> alone (a single-file copy need not list the whole destination).</summary>
    private static async Task<List<Entry>> StatAsync(RemoteTarget target, VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            return [await target.Vfs.StatAsync(path, cancellationToken).ConfigureAwait(false)];
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            return [];
        }
        catch (VfsException e)
        {
            throw new CliException($"cannot read '{target.Remote.Display}': {e.Message}", e);
        }
    }
}
