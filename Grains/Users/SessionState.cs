namespace Sessions.Grains.Users;

[GenerateSerializer, Alias("Sessions.SessionState")]
public sealed class SessionState
{
    /// <summary>How many spent refresh-token hashes a session remembers to recognise a replayed one as theft.</summary>
    public const int SpentHistory = 8;

    /// <summary>The length of a refresh-token hash (SHA-256).</summary>
    public const int HashSize = 32;

    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string DeviceId { get; init; }
    /// <summary>The client's name for its device; one instance per distinct name in the silo (<see cref="StringPool.DeviceNames"/>), also when loaded.</summary>
    [Id(2)] public string? DeviceName { get; set => field = StringPool.DeviceNames.Share(value); }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    // Read and slid on every check: as UTC ticks (UtcInstant), it and RotatedAt take 24 bytes less per session.
    [NonSerialized] private long _lastSeenAt;
    [NonSerialized] private long _rotatedAt;

    [Id(4)] public DateTimeOffset LastSeenAt { get => UtcInstant.From(_lastSeenAt); set => _lastSeenAt = UtcInstant.Ticks(value); }
    [Id(5)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(6)] public byte[] RefreshTokenHash { get; set; } = [];

    /// <summary>
    /// State stored before the spent hashes were packed: they were a list, oldest first. Loading one moves it into
    /// <see cref="SpentHashes"/>; nothing is kept here (no field, so no cost per session) and nothing is written.
    /// </summary>
    [Id(7)]
    public List<byte[]>? SpentRefreshTokenHashes
    {
        get => null;
        set
        {
            // A serializer also hands a null over for a state written by the packed format; that must not clear it.
            if (value is not null)
                SpentHashes = Pack(value);
        }
    }

    /// <summary>
    /// The spent hashes, <see cref="HashSize"/> bytes each, oldest first, in one array: eight separate ones and their
    /// list cost a refreshed session 568 bytes, this 280. Null until the first rotation.
    /// </summary>
    [Id(10)] public byte[]? SpentHashes { get; private set; }
    [Id(8)] public DateTimeOffset? RotatedAt { get => UtcInstant.FromOptional(_rotatedAt); set => _rotatedAt = UtcInstant.Ticks(value); }
    /// <summary>
    /// Whether the pair of the latest rotation has been used (an access token of the rotation's second or later was
    /// checked). Until then its predecessor may be presented again at any time, as a client whose answer was lost
    /// would; after it, only within the grace window. One byte, so a session in memory grows by at most eight.
    /// </summary>
    [Id(9)] public bool SuccessorSeen { get; set; }

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
        if (newHash.Length != HashSize)
            throw new ArgumentException($"A refresh-token hash is {HashSize} bytes.", nameof(newHash));
        if (RefreshTokenHash.Length != HashSize)
            throw new InvalidOperationException($"The session's current refresh-token hash is not {HashSize} bytes.");
        // A new array each time (a rotation is rare next to its write and signature): the oldest slot drops off once
        // all SpentHistory are used.
        var spent = SpentHashes ?? [];
        var kept = Math.Min(spent.Length, (SpentHistory - 1) * HashSize);
        var next = new byte[kept + HashSize];
        spent.AsSpan(spent.Length - kept).CopyTo(next);
        RefreshTokenHash.CopyTo(next, kept);
        SpentHashes = next;
        RefreshTokenHash = newHash;
        RotatedAt = now;
        SuccessorSeen = false;
        Slide(now);
    }

    /// <summary>
    /// Notes that an access token issued at <paramref name="issuedAt"/> was checked; true if that is the first sign
    /// that the latest rotation's pair is in use. iat has whole-second precision, so a token of the rotation's own
    /// second counts as the new pair's even though an older one issued earlier in that second cannot be told apart:
    /// the other way, the new pair's own access token (always of that second) would never count, and theft of the
    /// predecessor would go unnoticed for as long as the new pair is only used for requests.
    /// </summary>
    public bool NoteAccess(DateTimeOffset issuedAt)
    {
        if (SuccessorSeen || RotatedAt is not { } rotatedAt || issuedAt.ToUnixTimeSeconds() < rotatedAt.ToUnixTimeSeconds())
            return false;
        SuccessorSeen = true;
        return true;
    }

    /// <summary>
    /// Whether the immediate predecessor of the current secret may still be answered with the current pair: within
    /// <paramref name="grace"/> of the rotation, or at any time while the new pair has not been seen in use.
    /// </summary>
    public bool MayAnswerPredecessor(DateTimeOffset now, TimeSpan grace) =>
        RotatedAt is { } rotatedAt && (now - rotatedAt <= grace || !SuccessorSeen);

    /// <summary>The hash spent by the latest rotation, if any (a copy: the history is one array).</summary>
    public byte[]? LastSpent => SpentHashes is { Length: >= HashSize } spent ? spent[^HashSize..] : null;

    public bool IsSpent(ReadOnlySpan<byte> hash)
    {
        if (SpentHashes is not { } spent || hash.Length != HashSize)
            return false;
        for (var offset = 0; offset + HashSize <= spent.Length; offset += HashSize)
        {
            if (hash.SequenceEqual(spent.AsSpan(offset, HashSize)))
                return true;
        }
        return false;
    }

    // Old lists hold SHA-256 hashes only; anything else could never match a presented one, so it is not carried over.
    // At most the latest SpentHistory are kept, as Rotate keeps them.
    private static byte[]? Pack(List<byte[]> hashes)
    {
        var kept = hashes.Where(h => h.Length == HashSize).TakeLast(SpentHistory).ToArray();
        if (kept.Length == 0)
            return null;
        var packed = new byte[kept.Length * HashSize];
        for (var i = 0; i < kept.Length; i++)
            kept[i].CopyTo(packed, i * HashSize);
        return packed;
    }

    public SessionInfo ToInfo(TimeSpan idleTimeout) =>
        new(SessionId, DeviceId, DeviceName, CreatedAt, LastSeenAt, Min(IdleExpiresAt(idleTimeout), ExpiresAt), ExpiresAt);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Which of this session's secrets <paramref name="hash"/> is the hash of, newest first.</summary>
    public PresentedSecret Recognise(byte[] hash) =>
        RefreshSecrets.Matches(hash, RefreshTokenHash) ? PresentedSecret.Current
        : LastSpent is { } lastSpent && RefreshSecrets.Matches(hash, lastSpent) ? PresentedSecret.JustSpent
        : IsSpent(hash) ? PresentedSecret.Spent
        : PresentedSecret.Unknown;

    /// <summary>
    /// The answer to the secret spent by the latest rotation, given the hash of its derived successor: that successor
    /// again while <see cref="MayAnswerPredecessor"/> (<see cref="RefreshOutcome.Replayed"/>); refused without ending
    /// the session if the rotation, within <paramref name="grace"/>, went to a random secret made before successors were
    /// derived, whose pair no activation can give again (<see cref="RefreshOutcome.Rejected"/>); else theft.
    /// </summary>
    public RefreshOutcome AnswerJustSpent(byte[] successorHash, DateTimeOffset now, TimeSpan grace)
    {
        if (RefreshSecrets.Matches(successorHash, RefreshTokenHash))
            return MayAnswerPredecessor(now, grace) ? RefreshOutcome.Replayed : RefreshOutcome.Theft;
        return RotatedAt is { } rotatedAt && now - rotatedAt <= grace ? RefreshOutcome.Rejected : RefreshOutcome.Theft;
    }
}
