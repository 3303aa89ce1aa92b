namespace VfsGateway.ConformanceTests.Backends.Memory;

public sealed class MemoryBackendTests(MemoryFixture fixture) : BackendConformanceTests(fixture), IClassFixture<MemoryFixture>;
