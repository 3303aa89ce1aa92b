using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// The TLS settings of one backend, shared by every control and data connection. Data
/// connections must resume the TLS session of their own control connection (RFC 4217 §10.2;
/// vsftpd's require_ssl_reuse, its default, refuses them otherwise, and each vsftpd login is a
/// process with its own session cache). .NET's OpenSSL backend keeps one client session per
/// TargetHost and never caches for an IP-address TargetHost, so every control connection gets
/// options of its own with a distinct synthetic TargetHost (<see cref="ForSession"/>), which its
/// data connections share; the certificate's name is then checked against the real host here.
/// The certificate is checked against the system store unless a SHA-256 fingerprint is pinned
/// or checking is switched off.
/// </summary>
internal sealed class FtpTls
{
    private readonly string _host;
    private readonly bool _noCheck;
    private readonly string? _fingerprint;
    private long _sessions;

    public FtpTls(string host, bool noCheck, string? fingerprint)
    {
        _host = host;
        _noCheck = noCheck;
        _fingerprint = fingerprint;
    }

    /// <summary>Why the last certificate was refused (for the startup error), with its fingerprint.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Options for one control connection and its data connections (one session-cache key).</summary>
    public SslClientAuthenticationOptions ForSession() => new()
    {
        TargetHost = $"s{Interlocked.Increment(ref _sessions).ToString(System.Globalization.CultureInfo.InvariantCulture)}.{_host.Replace(':', '-')}.ftp-session.invalid",
        RemoteCertificateValidationCallback = Validate,
        AllowTlsResume = true,
    };

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

        // The synthetic TargetHost never matches: the real host name (or IP) must.
        errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        using (var certificate2 = new X509Certificate2(certificate))
        {
            if (!certificate2.MatchesHostname(_host))
            {
                errors |= SslPolicyErrors.RemoteCertificateNameMismatch;
            }
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        LastRejection = $"it is not trusted ({errors}); its SHA-256 fingerprint is {fingerprint} (pin it with tls_fingerprint, or set no_check_certificate)";
        return false;
    }
}
