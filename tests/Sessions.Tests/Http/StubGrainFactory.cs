using System.Reflection;
using Sessions.Grains;

namespace Sessions.Tests.Http;

/// <summary>A grain factory serving only a <see cref="StubKeyRing"/>: IGrainFactory has dozens of overloads, the key store uses two.</summary>
public class StubGrainFactory : DispatchProxy
{
    private StubKeyRing _ring = null!;

    public static IGrainFactory For(StubKeyRing ring)
    {
        var proxy = Create<IGrainFactory, StubGrainFactory>();
        ((StubGrainFactory)(object)proxy)._ring = ring;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args) => method?.Name switch
    {
        nameof(IGrainFactory.GetGrain) => _ring,
        nameof(IGrainFactory.CreateObjectReference) => args![0],
        _ => throw new NotSupportedException(method?.Name),
    };
}
