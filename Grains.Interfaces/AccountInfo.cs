namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.AccountInfo")]
public sealed record AccountInfo(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] bool Disabled,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string[] Roles);
