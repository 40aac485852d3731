namespace Sessions.Grains;

/// <summary>An ES256 (P-256) public key as its JWK coordinates, base64url.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.PublicSigningKey")]
public sealed record PublicSigningKey(
    [property: Id(0)] string Kid,
    [property: Id(1)] string X,
    [property: Id(2)] string Y,
    [property: Id(3)] bool Active);
