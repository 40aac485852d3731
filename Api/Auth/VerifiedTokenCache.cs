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
internal sealed class VerifiedTokenCache(SigningKeyStore keys, [FromKeyedServices(SessionsClock.Key)] TimeProvider time, IOptions<SessionsOptions> options)
    : JsonWebTokenHandler
{
    private const int MaxCachedTokenLength = 4096;

    private readonly int _capacity = options.Value.VerifiedTokenCacheSize;
    private readonly MemoryCache _verified = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.VerifiedTokenCacheSize) });

    /// <summary>Tokens remembered as verified right now.</summary>
    public int Count => _verified.Count;

    public bool Remembers(string token) => _verified.TryGetValue(KeyOf(token), out _);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_capacity == 0 || token.Length > MaxCachedTokenLength)
            return await base.ValidateTokenAsync(token, validationParameters);
        var key = KeyOf(token);
        if (_verified.TryGetValue(key, out Verified? hit) && hit!.IsStillValid(keys, time.GetUtcNow().UtcDateTime))
            return hit.ToResult();

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && result.ClaimsIdentity is { } identity)
        {
            _verified.Set(key, new Verified(jwt, identity), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + SessionsOptions.ClockSkew,
            });
        }
        return result;
    }

    private static string KeyOf(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Verified(JsonWebToken Token, System.Security.Claims.ClaimsIdentity Identity)
    {
        public bool IsStillValid(SigningKeyStore keys, DateTime utcNow) =>
            // ValidFrom is DateTime.MinValue when the token has no nbf.
            TokenLifetime.IsValid(Token.ValidFrom == DateTime.MinValue ? null : Token.ValidFrom, Token.ValidTo, utcNow) && keys.Knows(Token.Kid);

        // Each request gets its own identity: a handler or endpoint may add claims to it.
        public TokenValidationResult ToResult() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Token.Issuer,
            TokenType = Token.Typ,
        };
    }
}
