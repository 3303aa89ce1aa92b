namespace VfsGateway.IntegrationTests.Backends.Azure;

/// <summary>A blob as the independent client saw it.</summary>
internal sealed record AzureBlobSeen(int Status, string? ContentType, string? Sha256, long Size, IReadOnlyDictionary<string, string> Metadata);
