namespace Sessions.Grains;

[GenerateSerializer, Alias("Sessions.AccessDenial")]
public enum AccessDenial
{
    None = 0,
    UnknownUser = 1,
    Disabled = 2,
    SessionEnded = 3,
    IdleExpired = 4,
    AbsoluteExpired = 5,
    TokenRevoked = 6,
}
