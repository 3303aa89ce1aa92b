using Azure.Storage.Blobs.Models;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>One finished attempt of a multipart part, read back from the uncommitted block list.</summary>
internal sealed record AzureStagedPart(int PartNumber, string ETagHex, long Size, DateTimeOffset LastModified, IReadOnlyList<string> BlockIds)
{
    public UploadedPart ToUploadedPart() => new(PartNumber, "\"" + ETagHex + "\"", Size, LastModified);

    /// <summary>
    /// From the uncommitted blocks of a blob, the parts of the upload <paramref name="uploadId"/>: per
    /// part number the newest attempt whose blocks 0…n are all there and end in a final block.
    /// </summary>
    public static SortedDictionary<int, AzureStagedPart> Select(IEnumerable<BlobBlock> blocks, byte[] uploadId)
    {
        var attempts = new Dictionary<(int Part, long Millis, ushort Salt), SortedDictionary<int, (AzureBlockId Id, string Name, long Size)>>();
        foreach (var block in blocks)
        {
            if (AzureBlockId.TryDecode(block.Name) is not { } id || id.Kind == AzureBlockKind.Put || !id.UploadId.Span.SequenceEqual(uploadId))
            {
                continue;
            }

            var key = (id.PartNumber, id.AttemptTicks, id.AttemptSalt);
            if (!attempts.TryGetValue(key, out var list))
            {
                attempts[key] = list = [];
            }

            list[id.Index] = (id, block.Name, block.SizeLong);
        }

        var parts = new SortedDictionary<int, AzureStagedPart>();
        foreach (var ((part, millis, salt), list) in attempts.OrderBy(a => a.Key.Millis).ThenBy(a => a.Key.Salt))
        {
            var last = list.Values.Last();
            var complete = last.Id.Kind is AzureBlockKind.PartFinal or AzureBlockKind.PartEmpty
                && list.Count == last.Id.Index + 1
                && list.Keys.First() == 0;
            if (!complete)
            {
                continue;
            }

            var empty = last.Id.Kind == AzureBlockKind.PartEmpty;
            parts[part] = new AzureStagedPart(
                part,
                Convert.ToHexStringLower(last.Id.Md5.Span),
                empty ? 0 : list.Values.Sum(b => b.Size),
                DateTimeOffset.FromUnixTimeMilliseconds(millis),
                empty ? [] : [.. list.Values.Select(b => b.Name)]);
        }

        return parts;
    }
}
