using System.Runtime.CompilerServices;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Fencing;

/// <summary>
/// Refuses every call into a Sessions grain while the silo is fenced, before the grain method runs, and discards an
/// answer if the fence closed while the method ran (a GC pause can sit between the check and the answer). Refuses, the
/// same way, a call into a deciding grain whose activation the takeover guard does not yet let decide (a dead silo may
/// still be answering for it). Calls to Orleans' own grains and system targets pass: the fence guards the
/// application's decisions, not the runtime. Not async itself, so a call whose method completes synchronously
/// (CheckAccess, mostly) allocates nothing here once its activation has been seen.
/// </summary>
internal sealed class FenceFilter(SiloFence fence, TakeoverGuard guard, FenceMetrics metrics) : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly SessionsGrains = typeof(FenceFilter).Assembly;
    private static readonly System.Reflection.Assembly SessionsInterfaces = typeof(IUserGrain).Assembly;

    // When this silo first saw a call into each activation: a lower bound of nothing, an upper bound of its creation,
    // which is the conservative side for the guard. Entries go with their activations.
    private readonly ConditionalWeakTable<object, StrongBox<long>> _firstCalls = [];

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (fence.IsFenced && IsSessionsGrain(context))
            return Task.FromException(Refuse());
        if (context.Grain is { } grain && Decides(grain) && guard.Refusal(FirstCall(grain)) is { } refusal && IsSessionsMethod(context))
            return Task.FromException(new SiloFencedException(refusal));
        var invoked = context.Invoke();
        if (!invoked.IsCompleted)
            return AfterCompletion(invoked, context);
        return invoked.IsCompletedSuccessfully && fence.IsFenced && IsSessionsGrain(context) ? Task.FromException(Refuse()) : invoked;
    }

    private async Task AfterCompletion(Task invoked, IIncomingGrainCallContext context)
    {
        await invoked;
        if (fence.IsFenced && IsSessionsGrain(context))
            throw Refuse();
    }

    /// <summary>The grains whose memory decides: users, usernames and their skeletons, the key ring. The key-ring reader only reads storage.</summary>
    internal static bool Decides(object grain) => grain is IUserGrain or IUsernameGrain or IUsernameSkeletonGrain or IKeyRingGrain;

    private long FirstCall(object grain)
    {
        if (_firstCalls.TryGetValue(grain, out var seen))
            return seen.Value;
        return _firstCalls.GetValue(grain, _ => new StrongBox<long>(guard.Timestamp())).Value;
    }

    // Orleans' own extensions on the grain (a call's cancellation, say) decide nothing of the application's.
    private static bool IsSessionsMethod(IIncomingGrainCallContext context) => context.Request.GetInterfaceType().Assembly == SessionsInterfaces;

    private static bool IsSessionsGrain(IIncomingGrainCallContext context) => context.Grain?.GetType().Assembly == SessionsGrains;

    private SiloFencedException Refuse()
    {
        metrics.Refused();
        fence.Observe();
        return new SiloFencedException(fence.Reason() ?? "This silo is fenced.");
    }
}
