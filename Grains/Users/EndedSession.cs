namespace Sessions.Grains.Users;

/// <summary>A session a command ended, and why: what the grain reports once the change is stored.</summary>
public readonly record struct EndedSession(SessionState Session, SessionEndReason Reason);
