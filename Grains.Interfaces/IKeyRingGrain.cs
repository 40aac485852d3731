namespace Sessions.Grains;

/// <summary>The cluster's ES256 signing keys: one active key, older ones kept until their tokens expire.</summary>
[Alias("Sessions.IKeyRingGrain")]
public interface IKeyRingGrain : IGrainWithIntegerKey
{
    /// <summary>The public keys that may have signed a still-unexpired token.</summary>
    [Alias("GetPublicKeys")]
    Task<PublicKeySet> GetPublicKeys(CancellationToken cancellationToken = default);

    /// <summary>The key new tokens are signed with, its private part protected for the silos.</summary>
    [Alias("GetActiveKey")]
    Task<ProtectedSigningKey> GetActiveKey(CancellationToken cancellationToken = default);

    /// <summary>Makes a new key active; older keys keep verifying until their tokens expire. Returns the new kid.</summary>
    [Alias("Rotate")]
    Task<string> Rotate(CancellationToken cancellationToken = default);

    /// <summary>Retires a key at once, rotating first if it is the active one; false if there is no such key.</summary>
    [Alias("Retire")]
    Task<bool> Retire(string kid, CancellationToken cancellationToken = default);

    /// <summary>
    /// The cluster's refresh-secret key, protected for the silos: created and stored with the ring, never rotated,
    /// so that any activation derives the same successor of a spent refresh secret.
    /// </summary>
    [Alias("GetRefreshSecretKey")]
    Task<string> GetRefreshSecretKey(CancellationToken cancellationToken = default);

    /// <summary>Registers a host to be told of every change before the change is acknowledged; returns the current keys.</summary>
    [Alias("Subscribe")]
    Task<PublicKeySet> Subscribe(IKeyRingObserver observer, CancellationToken cancellationToken = default);
}
