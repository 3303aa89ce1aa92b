namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

public sealed class AzureBlobSasBackendTests(AzureBlobSasFixture fixture) : BackendConformanceTests(fixture), IClassFixture<AzureBlobSasFixture>;
