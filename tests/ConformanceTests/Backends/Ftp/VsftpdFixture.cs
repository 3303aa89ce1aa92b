using VfsGateway.TestSupport;

namespace VfsGateway.ConformanceTests.Backends.Ftp;

/// <summary>vsftpd in plain FTP: the LIST path (no MLSD), SIZE/MDTM for stat, no MFMT.</summary>
public sealed class VsftpdFixture : FtpFixture
{
    internal override FtpServerKind Kind => FtpServerKind.Vsftpd;

    internal override FtpServerTls Tls => FtpServerTls.None;

    public override UnsupportedFeatures Unsupported => base.Unsupported | UnsupportedFeatures.SetModTime;
}
