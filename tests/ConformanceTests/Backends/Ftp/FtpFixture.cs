using System.Globalization;
using VfsGateway.Backends.Ftp;
using VfsGateway.TestSupport;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Ftp;

/// <summary>
/// A private FTP server per fixture; each test's backend goes through the real registration
/// factory with a not yet existing sub-root of the server's data directory.
/// </summary>
public abstract class FtpFixture : BackendFixture
{
    private FtpServer? _server;

    internal FtpServer Server => _server ?? throw new InvalidOperationException("not initialized");

    internal abstract FtpServerKind Kind { get; }

    internal abstract FtpServerTls Tls { get; }

    public override UnsupportedFeatures Unsupported => UnsupportedFeatures.ContentType | UnsupportedFeatures.Multipart;

    public override async Task InitializeAsync() => _server = await FtpServer.StartAsync(Kind, Tls, LocalUsers.Ftp);

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public override ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken) =>
        Create(Path.Combine(Server.DataDirectory, subRoot), Options(), cancellationToken);

    /// <summary>The options that reach this fixture's server (host, port, login, TLS settings).</summary>
    public virtual Dictionary<string, string> Options()
    {
        var options = new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = Server.Port.ToString(CultureInfo.InvariantCulture),
            ["user"] = LocalUsers.Ftp,
            ["pass"] = Server.Password,
        };
        switch (Tls)
        {
            case FtpServerTls.Explicit:
                options["explicit_tls"] = "true";
                options["tls_fingerprint"] = Server.Fingerprint;
                break;
            case FtpServerTls.Implicit:
                options["tls"] = "true";
                options["tls_fingerprint"] = Server.Fingerprint;
                break;
        }

        return options;
    }

    public static ValueTask<IBackend> Create(string root, Dictionary<string, string> options, CancellationToken cancellationToken) =>
        FtpRegistration.Registration.Factory(new BackendConfig(FtpRegistration.Registration, root, options), cancellationToken);
}
