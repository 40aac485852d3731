namespace Sessions.Grains.Users;

/// <summary>How a refresh that reached the user grain ended: what <see cref="UserEvents.Refreshed"/> reports.</summary>
public enum RefreshOutcome
{
    /// <summary>The current secret was rotated.</summary>
    Rotated,
    /// <summary>A just-spent secret got its rotation's answer again, without rotating.</summary>
    Replayed,
    /// <summary>Refused; the session, if any, goes on.</summary>
    Rejected,
    /// <summary>A spent secret presented when no retry can explain it: the session ends as stolen.</summary>
    Theft,
}
