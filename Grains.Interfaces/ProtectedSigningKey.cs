namespace Sessions.Grains;

/// <summary>The active signing key; its private part encrypted with the silos' Data Protection keys.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.ProtectedSigningKey")]
public sealed record ProtectedSigningKey(
    [property: Id(0)] string Kid,
    [property: Id(1)] string ProtectedPrivateKey)
{
    public override string ToString() => $"ProtectedSigningKey {{ Kid = {Kid} }}";
}
