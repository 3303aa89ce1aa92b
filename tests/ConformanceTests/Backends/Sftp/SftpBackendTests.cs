namespace VfsGateway.ConformanceTests.Backends.Sftp;

public sealed class SftpBackendTests(SftpKeyFixture fixture) : BackendConformanceTests(fixture), IClassFixture<SftpKeyFixture>;
