namespace VfsGateway.Frontends.S3;

/// <summary>One S3 error code with its HTTP status (gofakes3's ErrorCode.Status() is the model).</summary>
internal sealed record S3Error(string Code, int Status, string Message)
{
    public static readonly S3Error AccessDenied = new("AccessDenied", 403, "Access Denied");
    public static readonly S3Error BadDigest = new("BadDigest", 400, "The Content-MD5 or checksum you specified did not match what we received.");
    public static readonly S3Error BucketAlreadyExists = new("BucketAlreadyExists", 409, "The requested bucket name is not available.");
    public static readonly S3Error BucketAlreadyOwnedByYou = new("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.");
    public static readonly S3Error BucketNotEmpty = new("BucketNotEmpty", 409, "The bucket you tried to delete is not empty.");
    public static readonly S3Error EntityTooLarge = new("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.");
    public static readonly S3Error EntityTooSmall = new("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.");
    public static readonly S3Error IncompleteBody = new("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header.");
    public static readonly S3Error InsufficientStorage = new("InsufficientStorage", 507, "There is not enough space in the storage behind this gateway.");
    public static readonly S3Error InternalError = new("InternalError", 500, "We encountered an internal error. Please try again.");
    public static readonly S3Error InvalidAccessKeyId = new("InvalidAccessKeyId", 403, "The AWS access key Id you provided does not exist in our records.");
    public static readonly S3Error InvalidArgument = new("InvalidArgument", 400, "Invalid Argument");
    public static readonly S3Error MetadataTooLarge = new("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.");
    public static readonly S3Error InvalidUri = new("InvalidURI", 400, "Couldn't parse the specified URI.");
    public static readonly S3Error InvalidBucketName = new("InvalidBucketName", 400, "The specified bucket is not valid.");
    public static readonly S3Error InvalidDigest = new("InvalidDigest", 400, "The Content-MD5 or checksum you specified is not valid.");
    public static readonly S3Error InvalidPart = new("InvalidPart", 400, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.");
    public static readonly S3Error InvalidPolicyDocument = new("InvalidPolicyDocument", 400, "The content of the form does not meet the conditions specified in the policy document.");
    public static readonly S3Error MalformedPostRequest = new("MalformedPOSTRequest", 400, "The body of your POST request is not well-formed multipart/form-data.");
    public static readonly S3Error MaxPostPreDataLengthExceeded = new("MaxPostPreDataLengthExceededError", 400, "Your POST request fields preceding the upload file were too large (the limit is 20 KB).");
    public static readonly S3Error InvalidPartOrder = new("InvalidPartOrder", 400, "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
    public static readonly S3Error InvalidPartNumber = new("InvalidPartNumber", 416, "The requested partnumber is not satisfiable");
    public static readonly S3Error InvalidRange = new("InvalidRange", 416, "The requested range is not satisfiable");
    public static readonly S3Error InvalidStorageClass = new("InvalidStorageClass", 400, "The storage class you specified is not valid");
    public static readonly S3Error InvalidTag = new("InvalidTag", 400, "The tag provided was not a valid tag.");
    public static readonly S3Error InvalidRequest = new("InvalidRequest", 400, "Invalid Request");
    public static readonly S3Error AuthorizationHeaderMalformed = new("AuthorizationHeaderMalformed", 400, "The authorization header is malformed.");
    public static readonly S3Error AuthorizationQueryParametersError = new("AuthorizationQueryParametersError", 400, "Error parsing the X-Amz-Credential parameter.");
    /// <summary>Not an AWS code (AWS has no such limit): a path-based storage cannot hold the key next to another one (docs/s3.md).</summary>
    public static readonly S3Error KeyConflict = new("KeyConflict", 409, "This key cannot be stored next to an existing key: this storage keeps keys as files in folders, so a key cannot be both an object and the folder of other keys (such as 'a' and 'a/b'), and a key ending in '/' is a folder that cannot hold data.");
    public static readonly S3Error KeyTooLongError = new("KeyTooLongError", 400, "Your key is too long.");
    public static readonly S3Error MalformedXml = new("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.");
    public static readonly S3Error MethodNotAllowed = new("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");
    public static readonly S3Error MissingContentLength = new("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");
    public static readonly S3Error NoSuchBucket = new("NoSuchBucket", 404, "The specified bucket does not exist.");
    public static readonly S3Error NoSuchKey = new("NoSuchKey", 404, "The specified key does not exist.");
    public static readonly S3Error NoSuchUpload = new("NoSuchUpload", 404, "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.");
    public static readonly S3Error NoSuchVersion = new("NoSuchVersion", 404, "The specified version does not exist.");
    public static readonly S3Error NotImplemented = new("NotImplemented", 501, "A header or query you provided implies functionality that is not implemented.");
    public static readonly S3Error NotModified = new("NotModified", 304, "Not Modified");
    public static readonly S3Error PreconditionFailed = new("PreconditionFailed", 412, "At least one of the preconditions you specified did not hold.");
    public static readonly S3Error RequestTimeTooSkewed = new("RequestTimeTooSkewed", 403, "The difference between the request time and the server's time is too large.");
    public static readonly S3Error SignatureDoesNotMatch = new("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    public static readonly S3Error SlowDown = new("SlowDown", 503, "Please reduce your request rate.");
    public static readonly S3Error ContentSha256Mismatch = new("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");
}
