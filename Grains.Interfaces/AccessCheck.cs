namespace Sessions.Grains;

/// <summary>What the API host read from an access token whose signature and claims it has already verified.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.AccessCheck")]
public sealed record AccessCheck(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string Jti,
    [property: Id(2)] DateTimeOffset IssuedAt);
