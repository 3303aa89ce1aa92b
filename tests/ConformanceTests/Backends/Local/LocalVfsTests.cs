namespace VfsGateway.ConformanceTests.Backends.Local;

public sealed class LocalVfsTests(LocalFixture fixture) : VfsConformanceTests(fixture), IClassFixture<LocalFixture>;
