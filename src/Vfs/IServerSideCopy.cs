namespace VfsGateway.Vfs;

/// <summary>Copies a file inside the backend without moving the bytes through the gateway.</summary>
public interface IServerSideCopy
{
    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>, replacing a file there; throws NotFound for a missing source.</summary>
    ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken);
}
