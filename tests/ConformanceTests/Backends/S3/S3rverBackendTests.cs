namespace VfsGateway.ConformanceTests.Backends.S3;

public sealed class S3rverBackendTests(S3rverFixture fixture) : BackendConformanceTests(fixture), IClassFixture<S3rverFixture>;
