namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.RegisterOutcome")]
public sealed record RegisterOutcome(
    [property: Id(0)] bool Created,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string Username);
