using Xunit.Abstractions;
using Xunit.Sdk;

namespace VfsGateway.ConformanceTests.Support;

/// <summary>Rewrites "failed with SkipException" into "skipped" on the way to the runner.</summary>
internal sealed class SkipTranslatingMessageBus(IMessageBus inner) : IMessageBus
{
    private static readonly string SkipExceptionName = typeof(SkipException).FullName!;

    public int Skipped { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed && failed.ExceptionTypes.Length > 0 && failed.ExceptionTypes[0] == SkipExceptionName)
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.Length > 0 ? failed.Messages[0] : "skipped"));
        }

        return inner.QueueMessage(message);
    }

    public void Dispose()
    {
        // The inner bus belongs to the caller.
    }
}
