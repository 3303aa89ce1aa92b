namespace VfsGateway.ConformanceTests;

/// <summary>
/// The local system users this test process creates for the sshd and FTP fixtures (TestSupport). The
/// integration tests use other names, so the two test processes never reset each other's password.
/// </summary>
internal static class LocalUsers
{
    public const string Sftp = "gwsftp";

    public const string Ftp = "gwftpconf";
}
