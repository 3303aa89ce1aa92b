namespace VfsGateway.ConformanceTests.Backends.Sftp;

/// <summary>root with a private key, the host in an option and an absolute root (a named remote's shape).</summary>
public sealed class SftpKeyFixture : SftpFixture
{
    public override (string Root, Dictionary<string, string> Options) Remote(string subRoot) =>
        (Path.Combine(Server.DataDirectory, subRoot), new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["user"] = "root",
            ["key_file"] = Server.ClientKey,
            ["known_hosts_file"] = Server.KnownHosts,
        });
}
