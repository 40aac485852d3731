using Microsoft.IdentityModel.JsonWebTokens;
using StackExchange.Redis;

namespace Sessions.Bench.Baselines;

/// <summary>A jti denylist: revoking writes <c>revoked:{jti}</c> (with the token's remaining lifetime as TTL).</summary>
public sealed class RedisDenylist(IConnectionMultiplexer redis) : ISessionCheck
{
    public async Task<bool> IsLiveAsync(JsonWebToken token, CancellationToken cancellationToken) =>
        !await redis.GetDatabase().KeyExistsAsync("revoked:" + token.Id);
}
