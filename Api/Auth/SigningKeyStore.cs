using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>
/// This host's copy of the cluster's public keys. The key ring pushes every change before acknowledging it;
/// a copy not confirmed within the lease is not trusted, so a host that missed a push re-reads before verifying.
/// </summary>
public sealed class SigningKeyStore(IGrainFactory grains, IOptions<SessionsOptions> options) : IKeyRingObserver
{
    private readonly SemaphoreSlim _syncLock = new(1, 1);
    private readonly Lock _applyLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private IKeyRingObserver? _reference;
    // Milliseconds since boot of the last confirmation; -1 until the first, so an empty store is never fresh.
    private long _confirmedAt = -1;

    public PublicKeySet Keys => _snapshot.Set;

    public IEnumerable<SecurityKey> Resolve(string? kid) =>
        kid is not null && _snapshot.ByKid.TryGetValue(kid, out var key) ? [key] : [];

    /// <summary>Whether a key with this kid may still verify tokens.</summary>
    public bool Knows(string? kid) => kid is not null && _snapshot.ByKid.ContainsKey(kid);

    public bool IsFresh
    {
        get
        {
            var confirmedAt = Interlocked.Read(ref _confirmedAt);
            return confirmedAt >= 0 && Environment.TickCount64 - confirmedAt < options.Value.KeyRingLease.TotalMilliseconds;
        }
    }

    public Task KeysChanged(PublicKeySet keys)
    {
        Apply(keys);
        return Task.CompletedTask;
    }

    /// <summary>Subscribes (or renews) with the key ring; throws if the cluster cannot be reached.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _syncLock.WaitAsync(cancellationToken);
        try
        {
            _reference ??= grains.CreateObjectReference<IKeyRingObserver>(this);
            var started = Environment.TickCount64;
            var keys = await grains.GetGrain<IKeyRingGrain>(0).Subscribe(_reference, cancellationToken);
            Apply(keys, started);
        }
        finally
        {
            _syncLock.Release();
        }
    }

    /// <summary>Re-reads the keys if this host's copy is older than its lease.</summary>
    public Task EnsureFreshAsync(CancellationToken cancellationToken) => IsFresh ? Task.CompletedTask : SyncAsync(cancellationToken);

    private void Apply(PublicKeySet keys, long? confirmedAt = null)
    {
        lock (_applyLock)
        {
            if (keys.Version >= _snapshot.Set.Version)
                _snapshot = new Snapshot(keys, keys.Keys.ToDictionary(k => k.Kid, ToSecurityKey));
            // A lease runs from when the request for it was sent, never from when its answer arrived.
            var at = confirmedAt ?? Environment.TickCount64;
            if (at > Interlocked.Read(ref _confirmedAt))
                Interlocked.Exchange(ref _confirmedAt, at);
        }
    }

    private static SecurityKey ToSecurityKey(PublicSigningKey key) =>
        new ECDsaSecurityKey(ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = WebEncoders.Base64UrlDecode(key.X), Y = WebEncoders.Base64UrlDecode(key.Y) },
        }))
        { KeyId = key.Kid };

    private sealed record Snapshot(PublicKeySet Set, Dictionary<string, SecurityKey> ByKid)
    {
        public static readonly Snapshot Empty = new(new PublicKeySet(-1, []), []);
    }
}
