namespace VfsGateway.Frontends.S3.Checksums;

/// <summary>The additional checksums S3 accepts (x-amz-checksum-*).</summary>
internal enum ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}
