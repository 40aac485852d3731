using System.Collections.Concurrent;

namespace Sessions.Grains.Users;

/// <summary>
/// One instance per distinct value, for values that repeat across users: a device name ("Firefox 140 on Linux") was
/// held once per session, 64 bytes each for that one. Bounded: once <c>capacity</c> values are pooled a new one is
/// kept as it came, so values chosen to fill the pool cost no more than they did before it, and the pool no more than
/// <c>capacity</c> values of at most <c>maxLength</c> characters.
/// </summary>
internal sealed class StringPool(int capacity, int maxLength)
{
    /// <summary>The silo's device names (at most 128 characters, as the token endpoint takes them).</summary>
    public static readonly StringPool DeviceNames = new(capacity: 1024, maxLength: 128);

    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The pooled instance equal to <paramref name="value"/>: pooled now if there is room, else the value itself.</summary>
    public string? Share(string? value)
    {
        if (value is null || value.Length > maxLength)
            return value;
        if (_values.TryGetValue(value, out var shared))
            return shared;
        // Two callers may both pass this check: the pool overshoots by at most one value per concurrent caller.
        if (Count >= capacity)
            return value;
        if (_values.TryAdd(value, value))
        {
            Interlocked.Increment(ref _count);
            return value;
        }
        return _values.TryGetValue(value, out shared) ? shared : value;
    }
}
