using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Fencing;

/// <summary>
/// Refuses every call into a Sessions grain while the silo is fenced, before the grain method runs, and discards an
/// answer if the fence closed while the method ran (a GC pause can sit between the check and the answer). Calls to
/// Orleans' own grains and system targets pass: the fence guards the application's decisions, not the runtime.
/// Not async itself, so a call whose method completes synchronously (CheckAccess, mostly) allocates nothing here.
/// </summary>
internal sealed class FenceFilter(SiloFence fence, FenceMetrics metrics) : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly SessionsGrains = typeof(FenceFilter).Assembly;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (fence.IsFenced && IsSessionsGrain(context))
            return Task.FromException(Refuse());
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

    private static bool IsSessionsGrain(IIncomingGrainCallContext context) => context.Grain?.GetType().Assembly == SessionsGrains;

    private SiloFencedException Refuse()
    {
        metrics.Refused();
        fence.Observe();
        return new SiloFencedException(fence.Reason() ?? "This silo is fenced.");
    }
}
