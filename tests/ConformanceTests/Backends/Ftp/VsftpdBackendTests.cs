namespace VfsGateway.ConformanceTests.Backends.Ftp;

public sealed class VsftpdBackendTests(VsftpdFixture fixture) : BackendConformanceTests(fixture), IClassFixture<VsftpdFixture>;
