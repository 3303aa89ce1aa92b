using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>The TLS part of <see cref="HttpServerOptions"/>, loaded and validated before anything listens.</summary>
internal sealed class TlsSettings : IDisposable
{
    private TlsSettings(X509Certificate2 certificate, SslProtocols protocols)
    {
        _certificate = certificate;
        Protocols = protocols;
    }

    private X509Certificate2 _certificate;

    /// <summary>The certificate new connections get; replaced by <see cref="Reload"/> (SIGHUP).</summary>
    public X509Certificate2 Certificate => Volatile.Read(ref _certificate);

    public SslProtocols Protocols { get; }

    /// <summary>
    /// Loads the certificate and key files again (a renewed certificate); connections already open
    /// keep the old one. Throws <see cref="GatewayStartupException"/> and keeps the current
    /// certificate when the new files are unusable.
    /// </summary>
    public void Reload(HttpServerOptions options)
    {
        // The old certificate is not disposed: a handshake may be using it right now.
        Volatile.Write(ref _certificate, LoadCertificate(options));
    }

    /// <summary>Null when TLS is off; throws <see cref="GatewayStartupException"/> for anything an operator must fix.</summary>
    public static TlsSettings? Load(HttpServerOptions options)
    {
        if (!options.Tls)
        {
            return null;
        }

        var protocols = ParseMinVersion(options.TlsMinVersion);
        return new TlsSettings(LoadCertificate(options), protocols);
    }

    /// <summary>rest-server's --tls-min-ver: "1.2" (the default) or "1.3".</summary>
    public static SslProtocols ParseMinVersion(string? version) => version?.Trim() switch
    {
        null or "" or "1.2" => SslProtocols.Tls12 | SslProtocols.Tls13,
        "1.3" => SslProtocols.Tls13,
        _ => throw new GatewayStartupException($"unsupported TLS minimum version '{version}' (use 1.2 or 1.3)"),
    };

    private static X509Certificate2 LoadCertificate(HttpServerOptions options)
    {
        if (string.IsNullOrEmpty(options.TlsCert) || string.IsNullOrEmpty(options.TlsKey))
        {
            throw new GatewayStartupException("--tls needs a certificate and a key (--tls-cert FILE --tls-key FILE)");
        }

        foreach (var file in new[] { options.TlsCert, options.TlsKey })
        {
            if (!File.Exists(file))
            {
                throw new GatewayStartupException($"TLS file '{file}' does not exist");
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(options.TlsCert, options.TlsKey);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new GatewayStartupException($"cannot load the TLS certificate '{options.TlsCert}' with key '{options.TlsKey}': {e.Message}", e);
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key of a PEM-loaded certificate; a PKCS#12 round trip persists it.
            using var pem = certificate;
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return certificate;
    }

    public void Dispose() => Certificate.Dispose();
}
