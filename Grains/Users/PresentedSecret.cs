namespace Sessions.Grains.Users;

/// <summary>What a presented refresh secret is to its session (<see cref="SessionState.Recognise"/>).</summary>
public enum PresentedSecret
{
    /// <summary>None of its secrets: refused, and it cannot end the session.</summary>
    Unknown,
    /// <summary>The current secret: rotated.</summary>
    Current,
    /// <summary>The secret the latest rotation spent: maybe a retry of a lost answer (<see cref="SessionState.AnswerJustSpent"/>).</summary>
    JustSpent,
    /// <summary>An older spent secret: theft.</summary>
    Spent,
}
