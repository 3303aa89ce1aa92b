namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// How a frontend's own metrics map onto the status page: its name as the duration histogram's
/// frontend label, what it serves, and the counters of body bytes received and sent.
/// </summary>
internal sealed record StatusFrontend(string Name, string Description, string BytesInMetric, string BytesOutMetric);
