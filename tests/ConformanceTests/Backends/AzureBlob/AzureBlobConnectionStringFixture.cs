namespace VfsGateway.ConformanceTests.Backends.AzureBlob;

/// <summary>A connection string, default tuning.</summary>
public sealed class AzureBlobConnectionStringFixture : AzureBlobFixture
{
    public override Dictionary<string, string> Options() => new() { ["connection_string"] = Server.ConnectionString };
}
