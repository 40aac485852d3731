using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Sessions.Grains.Keys;

/// <summary>
/// The cluster's refresh-secret key K, from which every refresh secret after a session's first is derived (see
/// <c>RefreshSecrets.Next</c>), so any activation on any silo can recompute the successor of a spent secret.
/// Stored only sealed with Data Protection in the key ring, like the signing keys' private parts; opened once per
/// silo and kept for the life of the process. It is never rotated: a new K would make every session's stored successor
/// unrecomputable, and it only adds to what an attacker who already holds the silos' Data Protection keys can do.
/// </summary>
internal sealed class RefreshSecretKey(IDataProtectionProvider dataProtection, IGrainFactory grains)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Sessions.RefreshSecretKey.v1");
    private byte[]? _key;

    /// <summary>A new sealed key, for the key ring to store.</summary>
    public string CreateProtected()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            return WebEncoders.Base64UrlEncode(_protector.Protect(key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>K, asked of the key ring the first time and then from memory.</summary>
    public ValueTask<byte[]> Get(CancellationToken cancellationToken) =>
        Volatile.Read(ref _key) is { } key ? ValueTask.FromResult(key) : new(Fetch(cancellationToken));

    private async Task<byte[]> Fetch(CancellationToken cancellationToken)
    {
        var sealedKey = await grains.GetGrain<IKeyRingGrain>(0).GetRefreshSecretKey(cancellationToken);
        var key = _protector.Unprotect(WebEncoders.Base64UrlDecode(sealedKey));
        // Two grains racing here open the same stored key; either copy will do.
        Interlocked.CompareExchange(ref _key, key, null);
        return _key!;
    }
}
