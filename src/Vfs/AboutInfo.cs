namespace VfsGateway.Vfs;

/// <summary>Space figures in bytes; null where the storage does not know.</summary>
public sealed record AboutInfo(long? Total, long? Used, long? Free);
