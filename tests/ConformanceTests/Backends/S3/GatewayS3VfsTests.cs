namespace VfsGateway.ConformanceTests.Backends.S3;

public sealed class GatewayS3VfsTests(GatewayS3Fixture fixture) : VfsConformanceTests(fixture), IClassFixture<GatewayS3Fixture>;
