namespace VfsGateway.ConformanceTests.Backends.Ftp;

public sealed class VsftpdTlsBackendTests(VsftpdTlsFixture fixture) : BackendConformanceTests(fixture), IClassFixture<VsftpdTlsFixture>;
