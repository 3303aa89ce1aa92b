namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

/// <summary>A container SAS URL, default tuning.</summary>
public sealed class AzureBlobSasFixture : AzureBlobFixture
{
    public override Dictionary<string, string> Options() => new() { ["sas_url"] = Server.ContainerSasUrl(ContainerName) };
}
