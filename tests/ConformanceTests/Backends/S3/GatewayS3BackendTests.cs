namespace VfsGateway.ConformanceTests.Backends.S3;

public sealed class GatewayS3BackendTests(GatewayS3Fixture fixture) : BackendConformanceTests(fixture), IClassFixture<GatewayS3Fixture>;
