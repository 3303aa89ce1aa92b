using Prometheus;

namespace VfsGateway.Frontends.Http.Metrics;

/// <summary>
/// The process and .NET runtime figures, in a registry of our own (never prometheus-net's static
/// default): prometheus-net's process/GC collector (process_cpu_seconds_total, process_*_bytes,
/// process_start_time_seconds, dotnet_collection_count_total by generation, ...),
/// process_resident_memory_bytes as rest-server's Go client names it, and GC and thread-pool
/// figures read from the runtime at each scrape. (prometheus-net's meter adapter would export the
/// runtime's "System.Runtime" meter, but as gauges named *_count that `promtool check metrics`
/// rejects.) They describe the process, so there is one per process, written at the head of every
/// frontend's scrape.
/// </summary>
internal static class RuntimeMetrics
{
    private static readonly Lazy<CollectorRegistry> Shared = new(Create);

    public static CollectorRegistry Registry => Shared.Value;

    private static CollectorRegistry Create()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var threads = factory.CreateGauge("dotnet_thread_pool_threads", "Thread-pool threads that exist now.");
        var queued = factory.CreateGauge("dotnet_thread_pool_queue_length", "Work items queued to the thread pool and not yet started.");
        var workItems = factory.CreateCounter("dotnet_thread_pool_work_items_total", "Work items the thread pool has completed.");
        var contentions = factory.CreateCounter("dotnet_monitor_lock_contentions_total", "Times a thread waited for a lock held by another.");
        var allocated = factory.CreateCounter("dotnet_gc_heap_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        var pause = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the garbage collector paused the process.");
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Managed heap size after the last garbage collection.");
        var committed = factory.CreateGauge("dotnet_gc_committed_bytes", "Memory committed by the garbage collector after the last collection.");
        registry.AddBeforeCollectCallback(() =>
        {
            resident.Set(Environment.WorkingSet); // on Linux the working set is the RSS
            threads.Set(ThreadPool.ThreadCount);
            queued.Set(ThreadPool.PendingWorkItemCount);
            workItems.IncTo(ThreadPool.CompletedWorkItemCount);
            contentions.IncTo(Monitor.LockContentionCount);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            pause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            var info = GC.GetGCMemoryInfo();
            heap.Set(info.HeapSizeBytes);
            committed.Set(info.TotalCommittedBytes);
        });
        return registry;
    }
}
