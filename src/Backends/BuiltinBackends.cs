using VfsGateway.Backends.AzureBlob;
using VfsGateway.Backends.Ftp;
using VfsGateway.Backends.Local;
using VfsGateway.Backends.Memory;
using VfsGateway.Backends.S3;
using VfsGateway.Backends.Sftp;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends;

/// <summary>The backend types compiled into the gateway; one line per backend.</summary>
public static class BuiltinBackends
{
    public static BackendRegistry CreateRegistry() => new BackendRegistry()
        .Add(AzureBlobRegistration.Registration)
        .Add(LocalRegistration.Registration)
        .Add(MemoryRegistration.Registration)
        .Add(S3Registration.Registration)
        .Add(SftpRegistration.Registration)
        .Add(FtpRegistration.Registration);
}
