using System.Collections.Concurrent;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// A thread-safe map whose entries count for <paramref name="lifetime"/> after they were last set,
/// bounded in count: when full, a Set first drops the expired entries, then any until there is room.
/// For what this instance remembers of multipart uploads, never the source of truth.
/// </summary>
internal sealed class RecentMap<TKey, TValue>(TimeProvider time, TimeSpan lifetime, int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, DateTimeOffset At)> _items = new();

    /// <summary>Adds or refreshes an entry.</summary>
    public void Set(TKey key, TValue value)
    {
        var now = time.GetUtcNow();
        if (_items.Count >= capacity)
        {
            foreach (var (k, item) in _items)
            {
                if (now - item.At > lifetime || _items.Count >= capacity)
                {
                    _items.TryRemove(k, out _);
                }
            }
        }

        _items[key] = (value, now);
    }

    /// <summary>The entry's value while it is recent.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_items.TryGetValue(key, out var item) && time.GetUtcNow() - item.At <= lifetime)
        {
            value = item.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Remove(TKey key) => _items.TryRemove(key, out _);
}
