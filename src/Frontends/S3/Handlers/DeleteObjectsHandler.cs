using System.Xml;
using System.Xml.Linq;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>DeleteObjects (POST ?delete): up to 1000 keys, verbose or quiet.</summary>
internal sealed class DeleteObjectsHandler(S3Context c)
{
    private const int MaxDeleteKeys = 1000;

    public async Task DeleteObjectsAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var document = await S3Body.ReadXmlAsync(r).ConfigureAwait(false);
        var root = document.Root;
        if (root is null || root.Name.LocalName != "Delete")
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var quiet = string.Equals(S3Body.Child(root, "Quiet")?.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var keys = new List<(string Key, string? VersionId)>();
        foreach (var obj in root.Elements().Where(e => e.Name.LocalName == "Object"))
        {
            keys.Add((S3Body.Child(obj, "Key")?.Value ?? throw new S3Exception(S3Error.MalformedXml), S3Body.Child(obj, "VersionId")?.Value));
        }

        if (keys.Count is 0 or > MaxDeleteKeys)
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "DeleteResult").ConfigureAwait(false);
        foreach (var (key, versionId) in keys)
        {
            S3Error? error = null;
            var message = string.Empty;
            try
            {
                // Every object is the version "null" (see VersionsHandler); any other version names nothing.
                if (versionId is not (null or VersionsHandler.NullVersionId))
                {
                    throw VersionsHandler.NoSuchVersion(versionId);
                }

                var path = S3Request.ParseKey(r.BucketPath, key, c.BucketBased);
                await c.DeleteOneAsync(r, path, key.EndsWith('/') && !path.IsDirectoryKey, ct).ConfigureAwait(false);
            }
            catch (S3Exception e)
            {
                (error, message) = (e.Error, e.Message);
            }
            catch (VfsException e)
            {
                (error, message) = (S3Errors.FromKind(e.Kind), e.Message);
            }

            if (error is not null)
            {
                await w.WriteStartElementAsync(null, "Error", null).ConfigureAwait(false);
                await w.ElementAsync("Key", key).ConfigureAwait(false);
                if (versionId is not null)
                {
                    await w.ElementAsync("VersionId", versionId).ConfigureAwait(false);
                }

                await w.ElementAsync("Code", error.Code).ConfigureAwait(false);
                await w.ElementAsync("Message", message).ConfigureAwait(false);
                await w.WriteEndElementAsync().ConfigureAwait(false);
            }
            else if (!quiet)
            {
                await w.WriteStartElementAsync(null, "Deleted", null).ConfigureAwait(false);
                await w.ElementAsync("Key", key).ConfigureAwait(false);
                if (versionId is not null)
                {
                    await w.ElementAsync("VersionId", versionId).ConfigureAwait(false);
                }

                await w.WriteEndElementAsync().ConfigureAwait(false);
            }
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

}
