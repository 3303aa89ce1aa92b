using VfsGateway.TestSupport;

namespace VfsGateway.ConformanceTests.Backends.Ftp;

/// <summary>vsftpd with explicit FTPS (AUTH TLS, PROT P, require_ssl_reuse=YES), the certificate pinned by fingerprint.</summary>
public sealed class VsftpdTlsFixture : FtpFixture
{
    internal override FtpServerKind Kind => FtpServerKind.Vsftpd;

    internal override FtpServerTls Tls => FtpServerTls.Explicit;

    public override UnsupportedFeatures Unsupported => base.Unsupported | UnsupportedFeatures.SetModTime;
}
