namespace Sessions.Grains;

/// <summary>Whether the account was created; if not, <see cref="LooksLikeAnother"/> says the name was free but confusable with a taken one.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.RegisterOutcome")]
public sealed record RegisterOutcome(
    [property: Id(0)] bool Created,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string Username,
    [property: Id(3)] bool LooksLikeAnother = false);
