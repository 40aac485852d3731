using System.Runtime.ExceptionServices;
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
/// <remarks>
/// No request ever waits on a call that may hang: a renewal is bounded well inside the lease, at most one is in
/// flight, requests keep verifying with keys still inside their lease meanwhile, and a request that finds the lease
/// run out waits for the shared renewal only briefly before it is refused with 503.
/// </remarks>
public sealed class SigningKeyStore(IGrainFactory grains, IOptions<SessionsTokenOptions> options, TimeProvider? leaseClock = null) : IKeyRingObserver
{
    // A request that finds the lease run out waits this long at most, so a black-holed gateway costs it a quick 503.
    private static readonly TimeSpan LongestRequestWait = TimeSpan.FromSeconds(2);
    private readonly TimeProvider _clock = leaseClock ?? TimeProvider.System;
    private readonly Lock _applyLock = new();
    private readonly Lock _renewalLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private IKeyRingObserver? _reference;
    private Task? _renewal;
    // Timestamps of the clock above; -1 until the first confirmation, so an empty store is never fresh.
    private long _confirmedAt = -1;
    private volatile bool _lastRenewalFailed;

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
            return confirmedAt >= 0 && _clock.GetElapsedTime(confirmedAt) < options.Value.KeyRingLease;
        }
    }

    /// <summary>Whether the latest renewal that ended failed: the cluster did not answer within <see cref="RenewalTimeout"/>.</summary>
    public bool LastRenewalFailed => _lastRenewalFailed;

    /// <summary>How long one renewal may take: a third of the lease, so two can fail before a renewed copy runs out.</summary>
    public TimeSpan RenewalTimeout => options.Value.KeyRingLease / 3;

    public Task KeysChanged(PublicKeySet keys)
    {
        Apply(keys);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Subscribes (or renews) with the key ring, joining the renewal already in flight if there is one;
    /// throws if the cluster does not answer within <see cref="RenewalTimeout"/>.
    /// </summary>
    public Task SyncAsync(CancellationToken cancellationToken)
    {
        Task renewal;
        lock (_renewalLock)
        {
            if (_renewal is null || _renewal.IsCompleted)
                _renewal = RenewAsync();
            renewal = _renewal;
        }
        return renewal.WaitAsync(cancellationToken);
    }

    /// <summary>Re-reads the keys if this host's copy is older than its lease; throws <see cref="TimeoutException"/> rather than wait long.</summary>
    public async Task EnsureFreshAsync(CancellationToken cancellationToken)
    {
        if (IsFresh)
            return;
        var wait = RenewalTimeout < LongestRequestWait ? RenewalTimeout : LongestRequestWait;
        await SyncAsync(cancellationToken).WaitAsync(wait, _clock, cancellationToken);
    }

    private async Task RenewAsync()
    {
        var timeout = RenewalTimeout;
        using var cancellation = new CancellationTokenSource(timeout, _clock);
        try
        {
            _reference ??= grains.CreateObjectReference<IKeyRingObserver>(this);
            var started = _clock.GetTimestamp();
            PublicKeySet keys;
            try
            {
                // WaitAsync as well as the token: a call sent into a black-holed connection is not ended by cancelling it here.
                keys = await grains.GetGrain<IKeyRingGrain>(0).Subscribe(_reference, cancellation.Token).WaitAsync(timeout, _clock);
            }
            catch (Exception subscribeFailure)
            {
                // The key-ring grain did not answer (say, its silo died and the directory still holds it): read the
                // stored keys through whichever silo answers. The key ring waits out a lease before acknowledging a
                // retirement, so a copy confirmed this way is as safe as a subscription.
                started = _clock.GetTimestamp();
                try
                {
                    using var readCancellation = new CancellationTokenSource(timeout, _clock);
                    keys = await grains.GetGrain<IKeyRingReaderGrain>(0).ReadPublicKeys(readCancellation.Token).WaitAsync(timeout, _clock);
                }
                catch
                {
                    // Neither answered: report the key ring's own failure, the one that says why.
                    ExceptionDispatchInfo.Capture(subscribeFailure).Throw();
                    throw;
                }
            }
            Apply(keys, started);
            _lastRenewalFailed = false;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            _lastRenewalFailed = true;
            throw new TimeoutException($"The key ring did not answer within {timeout}.");
        }
        catch
        {
            _lastRenewalFailed = true;
            throw;
        }
    }

    private void Apply(PublicKeySet keys, long? confirmedAt = null)
    {
        lock (_applyLock)
        {
            if (keys.Version >= _snapshot.Set.Version)
                _snapshot = new Snapshot(keys, keys.Keys.ToDictionary(k => k.Kid, ToSecurityKey));
            // A lease runs from when the request for it was sent, never from when its answer arrived.
            var at = confirmedAt ?? _clock.GetTimestamp();
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
