using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

public sealed partial class ResticFrontend
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>HEAD {repo}/config or an object: the real Content-Length (restic takes the config's size from it; 0 breaks restic).</summary>
    private async Task HeadAsync(HttpContext context, ResticRoute route)
    {
        var entry = await StatFileAsync(route.Path, context.RequestAborted).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = OctetStream;
        response.ContentLength = entry.Size;
        response.Headers.AcceptRanges = "bytes";
    }

    /// <summary>GET {repo}/config or an object, honouring one byte range (restic sends one on every object read).</summary>
    private async Task GetAsync(HttpContext context, ResticRoute route, string user)
    {
        var cancellationToken = context.RequestAborted;
        var entry = await StatFileAsync(route.Path, cancellationToken).ConfigureAwait(false);
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        var kind = RangeHeader.Parse(context.Request.Headers.Range, entry.Size, out var offset, out var count);
        if (kind == RangeKind.Unsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{entry.Size}";
            await StatusAsync(context, StatusCodes.Status416RangeNotSatisfiable).ConfigureAwait(false);
            return;
        }

        var stream = await _vfs.OpenReadAsync(route.Path, kind == RangeKind.Partial ? new ByteRange(offset, count) : null, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (kind == RangeKind.Partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {offset}-{offset + count - 1}/{entry.Size}";
            }
            else
            {
                response.StatusCode = StatusCodes.Status200OK;
            }

            response.ContentType = OctetStream;
            response.ContentLength = count;

            // Exactly count bytes: an object that shrank since the stat fails the copy and the connection is aborted.
            var sent = await StreamCopier.CopyAsync(stream, response.Body, count, null, cancellationToken).ConfigureAwait(false);
            _metrics?.Read(user, route, sent);
        }
    }

    /// <summary>Stats a file; a directory where an object should be counts as missing.</summary>
    private async Task<Entry> StatFileAsync(VfsPath path, CancellationToken cancellationToken)
    {
        var entry = await _vfs.StatAsync(path, cancellationToken).ConfigureAwait(false);
        return entry.IsDirectory ? throw VfsException.NotFound(path) : entry;
    }

    /// <summary>The entry, or null when there is nothing at <paramref name="path"/>.</summary>
    private async Task<Entry?> TryStatFileAsync(VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            return await _vfs.StatAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
            return null;
        }
    }
}
