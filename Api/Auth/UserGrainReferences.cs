using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>
/// References to user grains for the per-request check. <c>IGrainFactory.GetGrain&lt;IUserGrain&gt;(key)</c> resolves
/// the interface's grain type by reading its attributes through reflection on every call (about 4% of a
/// <c>GET /me</c>'s CPU in the profile, bench/profile.md); the two types are resolved once here instead.
/// </summary>
internal sealed class UserGrainReferences(IGrainFactory grains)
{
    // A reference, so a racing first use publishes both types at once; racing resolutions give equal values.
    private Types? _types;

    public IUserGrain Get(string userId)
    {
        var types = _types ??= Resolve();
        return (IUserGrain)grains.GetGrain(GrainId.Create(types.Grain, IdSpan.Create(userId)), types.Interface);
    }

    private Types Resolve()
    {
        var probe = (GrainReference)grains.GetGrain<IUserGrain>(Ids.New());
        return new Types(probe.GrainId.Type, probe.InterfaceType);
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
