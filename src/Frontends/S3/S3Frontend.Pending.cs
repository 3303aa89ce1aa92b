namespace VfsGateway.Frontends.S3;

internal sealed partial class S3Frontend
{
    private static Task CopyObjectAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task UploadPartCopyAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task UploadPartAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task ListPartsAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task ListMultipartUploadsAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task AbortMultipartUploadAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task CreateMultipartUploadAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private static Task CompleteMultipartUploadAsync(S3Request r) => throw new S3Exception(S3Error.NotImplemented);
    private void RemoveExpiredUploads() { }
}
