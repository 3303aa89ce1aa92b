using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>GetObjectTagging, PutObjectTagging, DeleteObjectTagging: the tags live in the object's metadata record, next to its user metadata.</summary>
internal sealed class TaggingHandler(S3Context c)
{
    public async Task GetObjectTaggingAsync(S3Request r)
    {
        var entry = await c.StatObjectAsync(r, r.ObjectPath).ConfigureAwait(false);
        var meta = await c.DescribeAsync(entry, r.Context.RequestAborted).ConfigureAwait(false);
        await S3Tagging.WriteDocumentAsync(r.Context.Response, meta.Tags).ConfigureAwait(false);
    }

    public async Task PutObjectTaggingAsync(S3Request r)
    {
        var tags = await S3Tagging.ReadDocumentAsync(r).ConfigureAwait(false);
        await SetTagsAsync(r, tags).ConfigureAwait(false);
    }

    public async Task DeleteObjectTaggingAsync(S3Request r)
    {
        await SetTagsAsync(r, []).ConfigureAwait(false);
        r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Replaces the tags of the current version; the bytes, ETag and other metadata stay.</summary>
    private async Task SetTagsAsync(S3Request r, Dictionary<string, string> tags)
    {
        var ct = r.Context.RequestAborted;
        var entry = await c.StatObjectAsync(r, r.ObjectPath).ConfigureAwait(false);
        var meta = await c.DescribeAsync(entry, ct).ConfigureAwait(false);
        await c.Vfs.UpdateMetadataAsync(entry, meta with { Tags = tags }, ct).ConfigureAwait(false);
    }
}
