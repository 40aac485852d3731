namespace Sessions.Grains.Users;

[GenerateSerializer, Alias("Sessions.SessionState")]
public sealed class SessionState
{
    /// <summary>How many spent refresh-token hashes a session remembers to recognise a replayed one as theft.</summary>
    public const int SpentHistory = 8;

    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string DeviceId { get; init; }
    [Id(2)] public string? DeviceName { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset LastSeenAt { get; set; }
    [Id(5)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(6)] public byte[] RefreshTokenHash { get; set; } = [];
    /// <summary>Oldest first; null until the first rotation, since an empty list would cost every live session 32 bytes.</summary>
    [Id(7)] public List<byte[]>? SpentRefreshTokenHashes { get; set; }
    [Id(8)] public DateTimeOffset? RotatedAt { get; set; }

    public DateTimeOffset IdleExpiresAt(TimeSpan idleTimeout) => LastSeenAt + idleTimeout;

    public SessionEndReason? ExpiryAt(DateTimeOffset now, TimeSpan idleTimeout) =>
        now >= ExpiresAt ? SessionEndReason.AbsoluteExpired
        : now >= IdleExpiresAt(idleTimeout) ? SessionEndReason.IdleExpired
        : null;

    public bool IsLive(DateTimeOffset now, TimeSpan idleTimeout) => ExpiryAt(now, idleTimeout) is null;

    public void Slide(DateTimeOffset now)
    {
        if (now > LastSeenAt)
            LastSeenAt = now;
    }

    /// <summary>Replaces the current refresh-token hash, remembering the spent one.</summary>
    public void Rotate(byte[] newHash, DateTimeOffset now)
    {
        // Made at the size it keeps, and trimmed before adding, so it never grows past SpentHistory slots.
        var spent = SpentRefreshTokenHashes ??= new List<byte[]>(SpentHistory);
        if (spent.Count >= SpentHistory)
            spent.RemoveRange(0, spent.Count - SpentHistory + 1);
        spent.Add(RefreshTokenHash);
        RefreshTokenHash = newHash;
        RotatedAt = now;
        Slide(now);
    }

    /// <summary>The hash spent by the latest rotation, if any.</summary>
    public byte[]? LastSpent => SpentRefreshTokenHashes is [.., var last] ? last : null;

    public bool IsSpent(ReadOnlySpan<byte> hash)
    {
        if (SpentRefreshTokenHashes is not { } spentHashes)
            return false;
        foreach (var spent in spentHashes)
        {
            if (hash.SequenceEqual(spent))
                return true;
        }
        return false;
    }

    public SessionInfo ToInfo(TimeSpan idleTimeout) =>
        new(SessionId, DeviceId, DeviceName, CreatedAt, LastSeenAt, Min(IdleExpiresAt(idleTimeout), ExpiresAt), ExpiresAt);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
