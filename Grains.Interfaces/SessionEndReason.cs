namespace Sessions.Grains;

[GenerateSerializer, Alias("Sessions.SessionEndReason")]
public enum SessionEndReason
{
    Logout = 0,
    Revoked = 1,
    IdleExpired = 2,
    AbsoluteExpired = 3,
    CapEvicted = 4,
    Theft = 5,
    DeviceReplaced = 6,
    PasswordChanged = 7,
    Disabled = 8,
}
