namespace Sessions.Grains.Keys;

[GenerateSerializer, Alias("Sessions.SigningKeyState")]
public sealed class SigningKeyState
{
    [Id(0)] public required string Kid { get; init; }
    [Id(1)] public required string X { get; init; }
    [Id(2)] public required string Y { get; init; }
    /// <summary>The private scalar, encrypted with Data Protection; never stored in plain text.</summary>
    [Id(3)] public required string ProtectedD { get; init; }
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it stopped signing new tokens; it verifies until the last of them expires.</summary>
    [Id(5)] public DateTimeOffset? DeactivatedAt { get; set; }
    [Id(6)] public bool Retired { get; set; }

    public bool IsActive => DeactivatedAt is null && !Retired;

    /// <summary>Whether a token this key signed may still be unexpired.</summary>
    public bool MayVerify(DateTimeOffset now, TimeSpan accessTokenLifetime) =>
        !Retired && (DeactivatedAt is not { } deactivated || now < deactivated + accessTokenLifetime + SessionsTokenOptions.ClockSkew);
}
