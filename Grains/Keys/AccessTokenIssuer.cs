using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sessions.Grains.Keys;

/// <summary>Signs access tokens (RFC 9068) on the silo, so private keys never reach an API host.</summary>
internal sealed class AccessTokenIssuer(SigningKeyFactory keyFactory, IOptions<SessionsTokenOptions> options)
{
    private readonly ConcurrentDictionary<string, SigningCredentials> _credentials = new();
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SessionsTokenOptions _options = options.Value;

    public string Issue(ProtectedSigningKey key, string userId, string sessionId, string deviceId, string jti, bool isAdmin, DateTimeOffset now)
    {
        var credentials = _credentials.GetOrAdd(key.Kid, _ => new SigningCredentials(keyFactory.OpenPrivateKey(key), SecurityAlgorithms.EcdsaSha256));
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = userId,
            [JwtRegisteredClaimNames.Jti] = jti,
            ["sid"] = sessionId,
            ["device_id"] = deviceId,
        };
        if (isAdmin)
            claims["role"] = "admin";
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _options.AccessTokenLifetime).UtcDateTime,
            TokenType = "at+jwt",
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    /// <summary>Drops a retired key's credentials so nothing is signed with it again on this silo.</summary>
    public void Forget(string kid) => _credentials.TryRemove(kid, out _);
}
