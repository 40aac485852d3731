using Microsoft.IdentityModel.JsonWebTokens;

namespace Sessions.Bench.Baselines;

/// <summary>The per-request lookup a stateful baseline adds after the signature checks out.</summary>
public interface ISessionCheck
{
    Task<bool> IsLiveAsync(JsonWebToken token, CancellationToken cancellationToken);
}
