using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;

namespace Sessions.Bench.Baselines;

/// <summary>One row per session; revoking sets <c>revoked</c>. A missing row is not live.</summary>
public sealed class PostgresSessionTable(NpgsqlDataSource database) : ISessionCheck
{
    public async Task<bool> IsLiveAsync(JsonWebToken token, CancellationToken cancellationToken)
    {
        if (!token.TryGetPayloadValue<string>("sid", out var sid))
            return false;
        await using var command = database.CreateCommand("SELECT revoked FROM sessions WHERE sid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sid });
        return await command.ExecuteScalarAsync(cancellationToken) is false;
    }
}
