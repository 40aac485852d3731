using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>
/// JwtBearer's token handler, remembering tokens whose signature and claims it has verified, so an ES256 signature is
/// checked once per token on this host instead of on every request. Lifetime is still checked on every request, and an
/// entry is worthless the moment its signing key leaves the key set (retired or expired). Whether the session is
/// live is not cached here: the user's grain answers that on every request.
/// </summary>
/// <remarks>
/// An entry keeps only what the decision reads (the three ids as 128-bit numbers, iat, nbf, exp, kid), about a tenth
/// of the parsed token and its claims identity it replaced. It is keyed on the SHA-256 of the whole token: a hit
/// needs a token equal to a verified one in every byte (header, payload and signature), short of a SHA-256 second
/// preimage, and the key is 32 bytes where the token itself would be about a kilobyte of UTF-16.
/// </remarks>
internal sealed class VerifiedTokenCache(SigningKeyStore keys, [FromKeyedServices(SessionsClock.Key)] TimeProvider time, IOptions<SessionsApiOptions> options)
    : JsonWebTokenHandler
{
    private const int MaxCachedTokenLength = 4096;

    private readonly int _capacity = options.Value.VerifiedTokenCacheSize;
    private readonly MemoryCache _verified = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.VerifiedTokenCacheSize) });

    // One instance per kid for all entries; only kids of verified tokens get here, so it holds the key ring's kids.
    private readonly ConcurrentDictionary<string, string> _kids = new(StringComparer.Ordinal);

    /// <summary>Tokens remembered as verified right now.</summary>
    public int Count => _verified.Count;

    public bool Remembers(string token) => TryDigest(token, out var digest) && _verified.TryGetValue(digest, out _);

    /// <summary>
    /// The token's claims if its signature and claims verify under <paramref name="parameters"/> (or it was verified
    /// before and its lifetime and key still hold), otherwise why not: a failed validation or a missing claim.
    /// </summary>
    public async ValueTask<TokenVerification> VerifyAsync(ReadOnlyMemory<char> token, TokenValidationParameters parameters)
    {
        Digest digest = default;
        var cacheable = _capacity > 0 && TryDigest(token.Span, out digest);
        if (cacheable && _verified.TryGetValue(digest, out Entry? hit) && hit!.IsStillValid(keys, time.GetUtcNow().UtcDateTime))
            return new TokenVerification(hit.ToClaims(), null);

        var result = await ValidateTokenAsync(token.ToString(), parameters);
        if (!result.IsValid)
            return new TokenVerification(null, result.Exception ?? new SecurityTokenValidationException());
        if (result.SecurityToken is not JsonWebToken jwt || !AccessTokenClaims.TryRead(jwt, out var claims))
            return new TokenVerification(null, null);
        if (cacheable && Entry.TryCreate(claims, jwt, _kids, out var entry))
        {
            _verified.Set(digest, entry, new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = claims.ExpiresAt + SessionsTokenOptions.ClockSkew,
            });
        }
        return new TokenVerification(claims, null);
    }

    // A JWT is ASCII (base64url and dots); anything else is not cached, so the bytes hashed are the token, one to one.
    private static bool TryDigest(ReadOnlySpan<char> token, out Digest digest)
    {
        digest = default;
        if (token.Length > MaxCachedTokenLength || !Ascii.IsValid(token))
            return false;
        Span<byte> ascii = stackalloc byte[token.Length];
        Ascii.FromUtf16(token, ascii, out _);
        SHA256.HashData(ascii, MemoryMarshal.AsBytes(new Span<Digest>(ref digest)));
        return true;
    }

    /// <summary>A SHA-256 value, compared by value; a struct so an entry's key is 32 bytes and not a string.</summary>
    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);

    private sealed class Entry(UInt128 userId, UInt128 sessionId, UInt128 jti, long issuedAt, long expiresAt, long? notBefore, string kid)
    {
        public static bool TryCreate(AccessTokenClaims claims, JsonWebToken jwt, ConcurrentDictionary<string, string> kids, out Entry entry)
        {
            entry = null!;
            // Ids are 32 lower-case hex digits (AccessTokenClaims checked), so each is exactly one UInt128.
            if (jwt.Kid is not { } kid
                || !UInt128.TryParse(claims.UserId, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var user)
                || !UInt128.TryParse(claims.SessionId, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var session)
                || !UInt128.TryParse(claims.Jti, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var jti))
                return false;
            // ValidFrom is DateTime.MinValue when the token has no nbf.
            long? notBefore = jwt.ValidFrom == DateTime.MinValue ? null : jwt.ValidFrom.Ticks;
            entry = new Entry(user, session, jti, claims.IssuedAt.UtcTicks, claims.ExpiresAt.UtcTicks, notBefore, kids.GetOrAdd(kid, kid));
            return true;
        }

        public bool IsStillValid(SigningKeyStore keys, DateTime utcNow) =>
            TokenLifetime.IsValid(notBefore is { } nbf ? new DateTime(nbf, DateTimeKind.Utc) : null, new DateTime(expiresAt, DateTimeKind.Utc), utcNow)
            && keys.Knows(kid);

        public AccessTokenClaims ToClaims() => new(
            userId.ToString("x32", null), sessionId.ToString("x32", null), jti.ToString("x32", null),
            new DateTimeOffset(issuedAt, TimeSpan.Zero), new DateTimeOffset(expiresAt, TimeSpan.Zero));
    }
}
