namespace VfsGateway.ConformanceTests.Backends.Sftp;

public sealed class SftpPasswordBackendTests(SftpPasswordFixture fixture) : BackendConformanceTests(fixture), IClassFixture<SftpPasswordFixture>;
