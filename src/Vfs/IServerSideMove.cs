namespace VfsGateway.Vfs;

/// <summary>Renames a file inside the backend.</summary>
public interface IServerSideMove
{
    /// <summary>
    /// Moves <paramref name="from"/> to <paramref name="to"/>, replacing a file there atomically
    /// where the storage allows it, creating missing parent directories, and making the rename
    /// durable. Throws NotFound for a missing source.
    /// </summary>
    ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken);
}
