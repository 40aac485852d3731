using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.JsonWebTokens;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>The ids every access token must carry, read from a token whose signature already checked.</summary>
internal sealed record AccessTokenClaims(string UserId, string SessionId, string Jti, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public static bool TryRead(JsonWebToken token, [NotNullWhen(true)] out AccessTokenClaims? claims)
    {
        claims = null;
        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) || !Ids.IsValid(sub)
            || !token.TryGetPayloadValue<string>("sid", out var sid) || !Ids.IsValid(sid)
            || !token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || !Ids.IsValid(jti)
            || !token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat))
            return false;
        claims = new AccessTokenClaims(sub, sid, jti, DateTimeOffset.FromUnixTimeSeconds(iat), new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
        return true;
    }

    public AccessCheck ToCheck() => new(SessionId, Jti, IssuedAt);
}
