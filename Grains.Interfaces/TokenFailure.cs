namespace Sessions.Grains;

[GenerateSerializer, Alias("Sessions.TokenFailure")]
public enum TokenFailure
{
    None = 0,
    InvalidCredentials = 1,
    Disabled = 2,
    LockedOut = 3,
    InvalidRefreshToken = 4,
    RefreshTokenReused = 5,
}
