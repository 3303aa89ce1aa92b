using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Hosting;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

public sealed partial class ResticFrontend
{
    private const string OctetStream = "application/octet-stream";

    private static readonly byte[] RangeNotSatisfiableBody = "invalid range: failed to overlap\n"u8.ToArray();

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
        // rest-server sends the config whole whatever the Range header says (restic reads all of it).
        var range = route.Type == ResticObjectType.Config ? default : context.Request.Headers.Range;
        var kind = HttpRange.Parse(range, entry.Size, out var offset, out var count);
        if (kind == RangeKind.Unsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{entry.Size}";

            // Go's http.ServeContent (rest-server) explains the 416 with this text.
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.ContentType = "text/plain; charset=utf-8";
            response.Headers.XContentTypeOptions = "nosniff";
            await WriteBytesAsync(context, RangeNotSatisfiableBody).ConfigureAwait(false);
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

            var sent = await CopyToResponseAsync(stream, response.BodyWriter, count, cancellationToken).ConfigureAwait(false);
            _metrics?.Read(user, route, sent);
        }
    }

    /// <summary>
    /// Reads straight into the response's own buffers (one copy fewer than a Stream copy, which
    /// is most of restic's restore traffic). Exactly <paramref name="count"/> bytes: an object that
    /// shrank since the stat fails the copy and the connection is aborted.
    /// </summary>
    private static async Task<long> CopyToResponseAsync(Stream source, PipeWriter writer, long count, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (sent < count)
        {
            // At most one block of the server's pool: a larger hint makes the pipe rent a one-off array.
            var memory = writer.GetMemory((int)Math.Min(count - sent, LargeBlockMemoryPool.BlockSize));
            var read = await source.ReadAsync(memory[..(int)Math.Min(memory.Length, count - sent)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"content ended after {sent} of {count} bytes");
            }

            writer.Advance(read);
            sent += read;
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                // The client went away; nothing more can reach it.
                break;
            }
        }

        return sent;
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
