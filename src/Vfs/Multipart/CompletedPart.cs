namespace VfsGateway.Vfs.Multipart;

/// <summary>One entry of a Complete request: the part number and the ETag the client got for it (quoted or not).</summary>
public sealed record CompletedPart(int PartNumber, string ETag);
