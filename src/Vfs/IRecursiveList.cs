namespace VfsGateway.Vfs;

/// <summary>Lists a whole subtree in one pass (S3 ListObjects without a delimiter).</summary>
public interface IRecursiveList
{
    /// <summary>Every file (and, where the backend has them, directory) below <paramref name="dir"/>.</summary>
    IAsyncEnumerable<Entry> ListRecursiveAsync(VfsPath dir, CancellationToken cancellationToken);
}
