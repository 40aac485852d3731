namespace Sessions.Grains.Users;

[GenerateSerializer, Alias("Sessions.UsernameState")]
public sealed class UsernameState
{
    [Id(0)] public string? UserId { get; set; }
}
