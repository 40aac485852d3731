namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.TokenPair")]
public sealed record TokenPair(
    [property: Id(0)] string AccessToken,
    [property: Id(1)] int ExpiresIn,
    [property: Id(2)] string RefreshToken,
    [property: Id(3)] string SessionId,
    [property: Id(4)] string DeviceId)
{
    // Records print every property; this one carries bearer credentials.
    public override string ToString() => $"TokenPair {{ SessionId = {SessionId}, DeviceId = {DeviceId}, ExpiresIn = {ExpiresIn} }}";
}
