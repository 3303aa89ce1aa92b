namespace VfsGateway.ConformanceTests.Backends.Sftp;

/// <summary>
/// An ordinary user with a password (askpass), the inline syntax user@host:port/~/path and a
/// root relative to the login directory. Public keys are switched off so only the password can work.
/// </summary>
public sealed class SftpPasswordFixture : SftpFixture
{
    public override (string Root, Dictionary<string, string> Options) Remote(string subRoot) =>
        ($"{LocalUsers.Sftp}@127.0.0.1:{Server.Port}/~/{subRoot}", new Dictionary<string, string>
        {
            ["password"] = Server.Password,
            ["known_hosts_file"] = Server.KnownHosts,
            ["ssh_options"] = "PubkeyAuthentication=no",
        });
}
