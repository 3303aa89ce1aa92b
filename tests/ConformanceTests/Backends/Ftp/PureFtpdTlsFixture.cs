using VfsGateway.TestSupport;

namespace VfsGateway.ConformanceTests.Backends.Ftp;

/// <summary>pure-ftpd with explicit FTPS required for login and data (--tls 3): the MLSD/MLST path.</summary>
public sealed class PureFtpdTlsFixture : FtpFixture
{
    internal override FtpServerKind Kind => FtpServerKind.PureFtpd;

    internal override FtpServerTls Tls => FtpServerTls.Explicit;

    public override UnsupportedFeatures Unsupported => base.Unsupported | UnsupportedFeatures.TrailingSpaceInNames;
}
