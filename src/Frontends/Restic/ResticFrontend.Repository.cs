using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

public sealed partial class ResticFrontend
{
    /// <summary>The five object type directories of a repository (also what the repository gauges list).</summary>
    internal static readonly string[] ObjectDirectories = ["data", "keys", "locks", "snapshots", "index"];
    private static readonly string[] FanOut = Enumerable.Range(0, 256).Select(i => i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>REPO/config, REPO/{keys,locks,snapshots,index}/ID or REPO/data/XX/ID.</summary>
    internal static bool TryRepositoryOf(VfsPath path, out string repository, out bool snapshot)
    {
        repository = string.Empty;
        snapshot = false;
        var parent = path.Parent;
        if (path.Name == "config")
        {
            repository = parent.Value;
            return true;
        }

        if (parent.IsRoot)
        {
            return false;
        }

        switch (parent.Name)
        {
            case "keys" or "locks" or "snapshots" or "index":
                repository = parent.Parent.Value;
                snapshot = parent.Name == "snapshots";
                return true;
            case { Length: 2 } when !parent.Parent.IsRoot && parent.Parent.Name == "data":
                repository = parent.Parent.Parent.Value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// POST {repo}/?create=true: creates the layout restic's local backend uses (the five object
    /// directories and data/00..ff). Succeeds when the repository already exists, as rest-server does.
    /// </summary>
    private async Task CreateRepositoryAsync(HttpContext context, ResticRoute route)
    {
        if (!string.Equals(context.Request.Query["create"], "true", StringComparison.Ordinal))
        {
            await StatusAsync(context, StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        LogCreatingRepository(_logger, route.Repository.Value);
        var cancellationToken = context.RequestAborted;
        await _vfs.MkdirAsync(route.Repository, cancellationToken).ConfigureAwait(false);
        foreach (var directory in ObjectDirectories)
        {
            await _vfs.MkdirAsync(route.Repository.Join(directory), cancellationToken).ConfigureAwait(false);
        }

        // 256 round trips on a remote backend: a few in flight at once.
        var data = route.Repository.Join("data");
        await Parallel.ForEachAsync(
            FanOut,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (prefix, ct) => await _vfs.MkdirAsync(data.Join(prefix), ct).ConfigureAwait(false)).ConfigureAwait(false);

        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
