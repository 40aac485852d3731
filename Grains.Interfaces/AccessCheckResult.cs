namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.AccessCheckResult")]
public sealed record AccessCheckResult(
    [property: Id(0)] AccessDenial Denial,
    [property: Id(1)] string? Username,
    [property: Id(2)] string? DeviceId,
    [property: Id(3)] string[]? Roles)
{
    public bool IsLive => Denial == AccessDenial.None;

    public static AccessCheckResult Denied(AccessDenial denial) => new(denial, null, null, null);
}
