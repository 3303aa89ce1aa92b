namespace VfsGateway.TestSupport;

/// <summary>This project's FTP login for the shared fixture (tests/Shared/FtpServer.cs); the integration tests use another.</summary>
internal sealed partial class FtpServer
{
    public const string User = "gwftpconf";
}
