namespace Sessions.Grains.Users;

/// <summary>
/// What a refresh repeated within the grace window gets back in this activation: the very pair its first presentation
/// got (~1.6 KB for 10 s, mostly its access token). Activation memory only: any other activation, or a retry after
/// the window, recomputes the same refresh token (<see cref="SessionState.AnswerJustSpent"/>).
/// </summary>
internal sealed class RecentRotations(TimeSpan grace)
{
    // Null while nothing was rotated within the grace window, as for almost every user almost always: an empty map
    // costs 80 bytes, and an emptied one keeps the arrays of its busiest moment (about 90 bytes per session it held).
    private Dictionary<string, (byte[] SpentHash, TokenPair Pair, DateTimeOffset RotatedAt)>? _rotations;

    public int Count => _rotations?.Count ?? 0;

    /// <summary>Whether a map is held at all; none while <see cref="Count"/> is zero.</summary>
    public bool HoldsMap => _rotations is not null;

    /// <summary>Notes the pair a stored rotation of <paramref name="sessionId"/> answered, and the hash it spent.</summary>
    public void Remember(string sessionId, byte[] spentHash, TokenPair pair, DateTimeOffset rotatedAt) =>
        (_rotations ??= [])[sessionId] = (spentHash, pair, rotatedAt);

    /// <summary>The pair to answer <paramref name="hash"/> with again, if its rotation spent it no more than the grace window ago.</summary>
    public TokenPair? Replay(string sessionId, byte[] hash, DateTimeOffset now) =>
        _rotations is { } rotations && rotations.TryGetValue(sessionId, out var recent)
            && RefreshSecrets.Matches(hash, recent.SpentHash) && now - recent.RotatedAt <= grace
            ? recent.Pair
            : null;

    public void Forget(string sessionId)
    {
        if (_rotations is { } rotations && rotations.Remove(sessionId) && rotations.Count == 0)
            _rotations = null;
    }

    /// <summary>
    /// Drops the pairs no replay can get any more; called on checks too, or a user who refreshes and then only makes
    /// requests would keep one until their next refresh.
    /// </summary>
    public void ForgetOlderThanGrace(DateTimeOffset now)
    {
        if (_rotations is not { } rotations)
            return;
        // Removing while enumerating is allowed for Dictionary (since .NET Core 3.0), so this allocates nothing.
        foreach (var (sessionId, rotation) in rotations)
        {
            if (now - rotation.RotatedAt > grace)
                rotations.Remove(sessionId);
        }
        if (rotations.Count == 0)
            _rotations = null;
    }
}
