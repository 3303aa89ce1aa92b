namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

public sealed class AzureBlobVfsTests(AzureBlobSharedKeyFixture fixture) : VfsConformanceTests(fixture), IClassFixture<AzureBlobSharedKeyFixture>;
