namespace Sessions.Grains.Keys;

[GenerateSerializer, Alias("Sessions.KeyRingState")]
public sealed class KeyRingState
{
    [Id(0)] public List<SigningKeyState> Keys { get; set; } = [];
    [Id(1)] public long Version { get; set; }
    /// <summary>The 256-bit key refresh secrets are derived with, sealed with Data Protection; null until first used.</summary>
    [Id(2)] public string? ProtectedRefreshSecretKey { get; set; }

    public SigningKeyState? Active => Keys.LastOrDefault(k => k.IsActive);

    public void Add(SigningKeyState key, DateTimeOffset now)
    {
        foreach (var previous in Keys.Where(k => k.IsActive))
            previous.DeactivatedAt = now;
        Keys.Add(key);
        Version++;
    }

    public bool Retire(string kid)
    {
        var key = Keys.FirstOrDefault(k => k.Kid == kid && !k.Retired);
        if (key is null)
            return false;
        key.Retired = true;
        Version++;
        return true;
    }

    /// <summary>Forgets keys that can no longer verify anything.</summary>
    public void Prune(DateTimeOffset now, TimeSpan accessTokenLifetime) =>
        Keys.RemoveAll(k => !k.IsActive && !k.MayVerify(now, accessTokenLifetime));

    public PublicKeySet ToPublicKeySet(DateTimeOffset now, TimeSpan accessTokenLifetime) =>
        new(Version, [.. Keys.Where(k => k.MayVerify(now, accessTokenLifetime)).Select(k => new PublicSigningKey(k.Kid, k.X, k.Y, k.IsActive))]);
}
