namespace VfsGateway.Frontends.Http;

/// <summary>A configuration problem that keeps the server from starting; the message is shown to the operator as is.</summary>
public sealed class GatewayStartupException : Exception
{
    public GatewayStartupException()
    {
    }

    public GatewayStartupException(string message)
        : base(message)
    {
    }

    public GatewayStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
