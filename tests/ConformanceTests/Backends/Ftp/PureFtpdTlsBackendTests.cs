namespace VfsGateway.ConformanceTests.Backends.Ftp;

public sealed class PureFtpdTlsBackendTests(PureFtpdTlsFixture fixture) : BackendConformanceTests(fixture), IClassFixture<PureFtpdTlsFixture>;
