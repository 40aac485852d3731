namespace Sessions.Grains.Users;

[GenerateSerializer, Alias("Sessions.UsernameState")]
public sealed class UsernameState
{
    [Id(0)] public string? UserId { get; set; }

    /// <summary>
    /// Whether this name is stored as holding its confusable skeleton. False in names stored before the flag: such a
    /// name claims its skeleton on its next activation and stores the flag, so later logins never call the skeleton grain.
    /// </summary>
    [Id(1)] public bool HoldsSkeleton { get; set; }
}
