namespace VfsGateway.ConformanceTests.Backends.Sftp;

public sealed class SftpVfsTests(SftpKeyFixture fixture) : VfsConformanceTests(fixture), IClassFixture<SftpKeyFixture>;
