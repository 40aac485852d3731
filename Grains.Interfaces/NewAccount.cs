namespace Sessions.Grains;

[GenerateSerializer, Immutable, Alias("Sessions.NewAccount")]
public sealed record NewAccount(
    [property: Id(0)] string Username,
    [property: Id(1)] string Password,
    [property: Id(2)] string[] Roles)
{
    // Records print every property; this one carries a password.
    public override string ToString() => $"NewAccount {{ Username = {Username}, Roles = [{string.Join(", ", Roles)}] }}";
}
