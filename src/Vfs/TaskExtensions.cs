namespace VfsGateway.Vfs;

internal static class TaskExtensions
{
    public static async ValueTask AsValueTaskVoid(this Task task) => await task.ConfigureAwait(false);
}
