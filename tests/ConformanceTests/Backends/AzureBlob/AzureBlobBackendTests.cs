namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

public sealed class AzureBlobBackendTests(AzureBlobSharedKeyFixture fixture) : BackendConformanceTests(fixture), IClassFixture<AzureBlobSharedKeyFixture>;
