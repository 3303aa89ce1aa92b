namespace VfsGateway.ConformanceTests.Backends.S3;

public sealed class S3rverVfsTests(S3rverFixture fixture) : VfsConformanceTests(fixture), IClassFixture<S3rverFixture>;
