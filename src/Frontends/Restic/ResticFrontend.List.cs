using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

public sealed partial class ResticFrontend
{
    private const string ListV1 = "application/vnd.x.restic.rest.v1";
    private const string ListV2 = "application/vnd.x.restic.rest.v2";

    // Send what is written every this many bytes: a million names never sit in memory at once.
    private const int ListFlushBytes = 32 * 1024;

    private static readonly JsonWriterOptions ListJsonOptions = new() { SkipValidation = true };

    /// <summary>
    /// GET {repo}/{type}/: the names (v1) or names and sizes (v2, when asked for in Accept),
    /// streamed as the listing arrives. Only valid object names are listed, so temporary and
    /// foreign files never reach restic; data/ lists the files of its fan-out directories.
    /// </summary>
    private async Task ListAsync(HttpContext context, ResticRoute route)
    {
        var cancellationToken = context.RequestAborted;
        var v2 = AcceptsV2(context.Request.Headers.Accept);
        var data = route.Type == ResticObjectType.Data;
        var entries = data ? _vfs.ListRecursiveAsync(route.Path, cancellationToken) : _vfs.ListAsync(route.Path, cancellationToken);
        var enumerator = entries.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            bool any;
            try
            {
                any = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
            {
                // rest-server answers 404 for a type directory that does not exist (a missing
                // repository, or a path that is no repository). Storage without real directories
                // cannot tell a missing prefix from an empty one: there it is an empty listing.
                if (!_vfs.Features.BucketBased)
                {
                    await StatusAsync(context, StatusCodes.Status404NotFound).ConfigureAwait(false);
                    return;
                }

                any = false;
            }

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = v2 ? ListV2 : ListV1;

            // From here on a failure can only abort the connection, which restic notices (a truncated array).
            await response.StartAsync(cancellationToken).ConfigureAwait(false);
            await WriteListingAsync(response.BodyWriter, any ? enumerator : null, route.Path.Value, data, v2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the JSON array, flushing every <see cref="ListFlushBytes"/> so memory stays bounded.</summary>
    private static async Task WriteListingAsync(PipeWriter output, IAsyncEnumerator<Entry>? entries, string directory, bool data, bool v2, CancellationToken cancellationToken)
    {
        using var json = new Utf8JsonWriter(output, ListJsonOptions);
        json.WriteStartArray();
        long flushed = 0;
        for (var more = entries is not null; more; more = await entries!.MoveNextAsync().ConfigureAwait(false))
        {
            var entry = entries!.Current;
            var name = ListedName(entry, directory, data);
            if (name.IsEmpty)
            {
                continue;
            }

            if (v2)
            {
                json.WriteStartObject();
                json.WriteString("name"u8, name);
                json.WriteNumber("size"u8, entry.Size);
                json.WriteEndObject();
            }
            else
            {
                json.WriteStringValue(name);
            }

            // The writer advances the pipe by itself as its buffers fill, so BytesPending alone
            // never grows large: count everything written since the last flush.
            if (json.BytesCommitted + json.BytesPending - flushed >= ListFlushBytes)
            {
                json.Flush();
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                flushed = json.BytesCommitted;
            }
        }

        json.WriteEndArray();
        json.Flush();
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The object name of a listed file, or empty when it is not one restic may see: "{dir}/{id}",
    /// or for data "{dir}/{id[..2]}/{id}". Works on the path text, without allocating.
    /// </summary>
    private static ReadOnlySpan<char> ListedName(Entry entry, string directory, bool fannedOut)
    {
        var path = entry.Path.Value.AsSpan();
        var prefix = directory.Length + 1;
        if (entry.IsDirectory || path.Length != prefix + (fannedOut ? 3 : 0) + 64 ||
            !path.StartsWith(directory, StringComparison.Ordinal) || path[directory.Length] != '/')
        {
            return default;
        }

        var name = path[^64..];
        if (fannedOut && (path[prefix + 2] != '/' || !path.Slice(prefix, 2).SequenceEqual(name[..2])))
        {
            return default;
        }

        return ResticRouteParser.IsObjectId(name) ? name : default;
    }

    private static bool AcceptsV2(Microsoft.Extensions.Primitives.StringValues accept)
    {
        foreach (var value in accept)
        {
            if (value is not null && value.Contains(ListV2, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
