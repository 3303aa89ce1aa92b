namespace VfsGateway.ConformanceTests.Backends.Ftp;

public sealed class VsftpdVfsTests(VsftpdFixture fixture) : VfsConformanceTests(fixture), IClassFixture<VsftpdFixture>;
