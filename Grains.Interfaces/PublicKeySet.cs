namespace Sessions.Grains;

/// <summary>The public keys that verify access tokens; a higher version replaces a lower one.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.PublicKeySet")]
public sealed record PublicKeySet(
    [property: Id(0)] long Version,
    [property: Id(1)] PublicSigningKey[] Keys);
