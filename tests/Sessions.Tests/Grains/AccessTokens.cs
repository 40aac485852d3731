using Microsoft.IdentityModel.JsonWebTokens;
using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>Reads what the API host would hand a user grain from an access token, without verifying it.</summary>
public static class AccessTokens
{
    public static AccessCheck CheckOf(TokenPair pair)
    {
        var token = new JsonWebToken(pair.AccessToken);
        return new AccessCheck(token.GetClaim("sid").Value, token.Id, new DateTimeOffset(token.IssuedAt, TimeSpan.Zero));
    }
}
