namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.NewAccount")]
public sealed record NewAccount(
    [property: Id(0)] string Username,
    [property: Id(1)] string Password,
    [property: Id(2)] string[] Roles);
