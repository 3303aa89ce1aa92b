using VfsGateway.Backends.Sftp.Protocol;

namespace VfsGateway.Backends.Sftp;

/// <summary>A connection in use by one operation; disposing it gives it back to the pool (once).</summary>
internal sealed class SftpLease(SftpConnection connection) : IDisposable
{
    private int _released;

    public SftpSession Session => connection.Session;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            connection.Exit();
        }
    }
}
