namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>An open file or directory on the server: an opaque string of at most 256 bytes (§6.3).</summary>
internal sealed class SftpHandle(byte[] value)
{
    public ReadOnlySpan<byte> Span => value;
}
