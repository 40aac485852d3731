namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.LoginRequest")]
public sealed record LoginRequest(
    [property: Id(0)] string Password,
    [property: Id(1)] string? DeviceId,
    [property: Id(2)] string? DeviceName,
    [property: Id(3)] string? ClientIp)
{
    // Records print every property; this one carries a password.
    public override string ToString() => $"LoginRequest {{ DeviceId = {DeviceId}, DeviceName = {DeviceName}, ClientIp = {ClientIp} }}";
}
