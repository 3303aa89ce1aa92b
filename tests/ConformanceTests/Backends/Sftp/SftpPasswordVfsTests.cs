namespace VfsGateway.ConformanceTests.Backends.Sftp;

public sealed class SftpPasswordVfsTests(SftpPasswordFixture fixture) : VfsConformanceTests(fixture), IClassFixture<SftpPasswordFixture>;
