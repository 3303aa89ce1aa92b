namespace VfsGateway.TestSupport;

/// <summary>
/// This project's password user for the shared fixture (tests/Shared/SshdServer.cs). The conformance
/// tests use another name: the two test processes must never reset each other's password.
/// </summary>
internal sealed partial class SshdServer
{
    public const string PasswordUser = "gwitsftp";
}
