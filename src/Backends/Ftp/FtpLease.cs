using VfsGateway.Backends.Ftp.Protocol;

namespace VfsGateway.Backends.Ftp;

/// <summary>A control connection in exclusive use by one operation; disposing it gives it back to the pool (once).</summary>
internal sealed class FtpLease(FtpConnectionPool pool, FtpSession session) : IDisposable
{
    private int _released;

    public FtpSession Session => session;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            pool.Return(session);
        }
    }
}
