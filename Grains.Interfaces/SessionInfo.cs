namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.SessionInfo")]
public sealed record SessionInfo(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string? DeviceName,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset LastSeenAt,
    [property: Id(5)] DateTimeOffset IdleExpiresAt,
    [property: Id(6)] DateTimeOffset ExpiresAt);
