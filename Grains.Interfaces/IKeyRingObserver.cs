namespace Sessions.Grains;

/// <summary>An API host's view of the key ring, pushed on every change.</summary>
[Alias("Sessions.IKeyRingObserver")]
public interface IKeyRingObserver : IGrainObserver
{
    /// <summary>Replaces the host's public keys.</summary>
    [Alias("KeysChanged")]
    Task KeysChanged(PublicKeySet keys);
}
