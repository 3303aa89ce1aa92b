using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// The last few failed requests for the status page: server errors and client errors other than
/// 404 (restic and S3 clients probe for missing objects all the time). Only time, status, method
/// and path are kept: never the query string (presigned URLs carry signatures there), headers or user.
/// </summary>
internal sealed class RecentErrors(int capacity, TimeProvider time)
{
    private const int MaxPathLength = 200;

    private readonly Queue<RecentError> _errors = new(capacity);
    private readonly object _lock = new();

    /// <summary>Notes the request if its response is one worth showing.</summary>
    public void Record(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status < 400 || status == StatusCodes.Status404NotFound)
        {
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        if (path.Length > MaxPathLength)
        {
            path = path[..MaxPathLength] + "…";
        }

        var error = new RecentError(time.GetUtcNow(), status, context.Request.Method, path);
        lock (_lock)
        {
            if (_errors.Count == capacity)
            {
                _errors.Dequeue();
            }

            _errors.Enqueue(error);
        }
    }

    /// <summary>Newest first.</summary>
    public RecentError[] Snapshot()
    {
        lock (_lock)
        {
            var list = _errors.ToArray();
            Array.Reverse(list);
            return list;
        }
    }
}
