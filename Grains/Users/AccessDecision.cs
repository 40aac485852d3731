namespace Sessions.Grains.Users;

/// <summary>
/// What <see cref="UserState.Check"/> decided: the denial (<see cref="AccessDenial.None"/> with the live
/// <see cref="Session"/> if accepted), and the expiry of the session it found run out, which only a caller that
/// changes state drops and counts.
/// </summary>
public readonly record struct AccessDecision(AccessDenial Denial, SessionState? Session, SessionEndReason? Expired)
{
    public static AccessDecision Deny(AccessDenial denial) => new(denial, null, null);
}
