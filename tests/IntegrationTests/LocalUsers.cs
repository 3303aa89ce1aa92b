namespace VfsGateway.IntegrationTests;

/// <summary>
/// The local system users this test process creates for the sshd and FTP fixtures (TestSupport). The
/// conformance tests use other names, so the two test processes never reset each other's password.
/// </summary>
internal static class LocalUsers
{
    public const string Sftp = "gwitsftp";

    public const string Ftp = "gwftpint";
}
