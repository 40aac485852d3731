namespace Sessions.Grains;

/// <summary>
/// The key ring's public keys as stored, read by whichever silo takes the call. API hosts renew their key copy through
/// it when the key-ring grain itself cannot answer, for instance while the grain directory still holds it after its
/// silo died; the key ring, in turn, waits out a whole lease before it acknowledges a retirement.
/// </summary>
[Alias("Sessions.IKeyRingReaderGrain")]
public interface IKeyRingReaderGrain : IGrainWithIntegerKey
{
    /// <summary>The stored public keys that may have signed a still-unexpired token.</summary>
    [Alias("ReadPublicKeys")]
    Task<PublicKeySet> ReadPublicKeys(CancellationToken cancellationToken = default);
}
