using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// The TLS settings of one backend, shared by every control and data connection. Sharing one
/// <see cref="SslClientAuthenticationOptions"/> (same TargetHost, same validation) is what lets
/// .NET's client session cache resume the control connection's TLS session on data connections,
/// which vsftpd (require_ssl_reuse, its default) and pure-ftpd can insist on (RFC 4217 §10.2).
/// The certificate is checked against the system store unless a SHA-256 fingerprint is pinned or
/// checking is switched off.
/// </summary>
internal sealed class FtpTls
{
    private readonly bool _noCheck;
    private readonly string? _fingerprint;

    public FtpTls(string host, bool noCheck, string? fingerprint)
    {
        _noCheck = noCheck;
        _fingerprint = fingerprint;
        Options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = Validate,
            AllowTlsResume = true,
        };
    }

    public SslClientAuthenticationOptions Options { get; }

    /// <summary>Why the last certificate was refused (for the startup error), with its fingerprint.</summary>
    public string? LastRejection { get; private set; }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_noCheck)
        {
            return true;
        }

        if (certificate is null)
        {
            LastRejection = "the server sent no certificate";
            return false;
        }

        var fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_fingerprint is not null)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(fingerprint), System.Text.Encoding.ASCII.GetBytes(_fingerprint)))
            {
                return true;
            }

            LastRejection = $"its SHA-256 fingerprint {fingerprint} is not the pinned tls_fingerprint";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        LastRejection = $"it is not trusted ({errors}); its SHA-256 fingerprint is {fingerprint} (pin it with tls_fingerprint, or set no_check_certificate)";
        return false;
    }
}
