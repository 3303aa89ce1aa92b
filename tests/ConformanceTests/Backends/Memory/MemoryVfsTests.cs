namespace VfsGateway.ConformanceTests.Backends.Memory;

public sealed class MemoryVfsTests(MemoryFixture fixture) : VfsConformanceTests(fixture), IClassFixture<MemoryFixture>;
