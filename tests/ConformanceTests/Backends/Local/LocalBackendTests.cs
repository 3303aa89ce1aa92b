namespace VfsGateway.ConformanceTests.Backends.Local;

public sealed class LocalBackendTests(LocalFixture fixture) : BackendConformanceTests(fixture), IClassFixture<LocalFixture>;
