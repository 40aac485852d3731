namespace Sessions.Grains.Users;

[GenerateSerializer, Alias("Sessions.UsernameSkeletonState")]
public sealed class UsernameSkeletonState
{
    [Id(0)] public string? UsernameKey { get; set; }
}
