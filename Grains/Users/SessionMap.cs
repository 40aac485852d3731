namespace Sessions.Grains.Users;

/// <summary>
/// A user's live sessions by id. Most users have one, so one session is held as itself and a map only from the second:
/// a <see cref="Dictionary{TKey,TValue}"/> of one session costs its object, its entries and its buckets, about 210
/// bytes per user. Stored as before, as a map (<see cref="UserState.StoredSessions"/>).
/// </summary>
public struct SessionMap
{
    private SessionState? _only;
    private Dictionary<string, SessionState>? _many;

    /// <summary>Whether a map is held; none while there are fewer than two sessions.</summary>
    internal readonly bool HoldsMap => _many is not null;

    public readonly int Count => _many?.Count ?? (_only is null ? 0 : 1);

    public readonly SessionState this[string sessionId] =>
        TryGetValue(sessionId, out var session) ? session : throw new KeyNotFoundException($"no session {sessionId}");

    public readonly bool TryGetValue(string sessionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SessionState? session)
    {
        if (_many is { } many)
            return many.TryGetValue(sessionId, out session);
        session = _only is { } only && only.SessionId == sessionId ? only : null;
        return session is not null;
    }

    public readonly SessionState? GetValueOrDefault(string sessionId) => TryGetValue(sessionId, out var session) ? session : null;

    public readonly IEnumerable<string> Keys => Values.Select(s => s.SessionId);

    /// <summary>A copy of the sessions, so the caller may remove while it walks them.</summary>
    public readonly List<SessionState> ToList() => [.. Values];

    /// <summary>The sessions, in no particular order; not to be changed while walked.</summary>
    public readonly IEnumerable<SessionState> Values =>
        _many is { } many ? many.Select(e => e.Value) : _only is { } only ? [only] : [];

    /// <summary>Adds the session, or replaces the one of its id.</summary>
    public void Put(SessionState session)
    {
        if (_many is { } many)
            many[session.SessionId] = session;
        else if (_only is null || _only.SessionId == session.SessionId)
            _only = session;
        else
        {
            _many = new(2) { [_only.SessionId] = _only, [session.SessionId] = session };
            _only = null;
        }
    }

    public bool Remove(string sessionId)
    {
        if (_many is { } many)
        {
            if (!many.Remove(sessionId))
                return false;
            // Back to one held as itself: the map would keep its arrays of the busiest moment.
            if (many.Count == 1)
            {
                _only = many.Values.First();
                _many = null;
            }
            return true;
        }
        if (_only is null || _only.SessionId != sessionId)
            return false;
        _only = null;
        return true;
    }

    /// <summary>The stored form: a map, empty when there is none.</summary>
    public readonly Dictionary<string, SessionState> ToDictionary() =>
        _many is { } many ? many : _only is { } only ? new(1) { [only.SessionId] = only } : [];

    /// <summary>Takes over <paramref name="stored"/>, or its one session.</summary>
    public static SessionMap From(Dictionary<string, SessionState>? stored) => stored switch
    {
        null or { Count: 0 } => default,
        { Count: 1 } => new() { _only = stored.Values.First() },
        _ => new() { _many = stored },
    };
}
