using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Sessions.Tests.Doors;

/// <summary>
/// Counts the calls each grain receives, per method, as the silo sees them: a count kept outside the code under
/// test, so "the session was checked (and slid) once" is observed, not reported.
/// </summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Method), int> _calls = new();

    public int Of(GrainId grain, string method) => _calls.TryGetValue((grain, method), out var count) ? count : 0;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        // Counted before the call, so a call that fails still counts.
        _calls.AddOrUpdate((context.TargetId, context.InterfaceMethod.Name), 1, (_, count) => count + 1);
        return context.Invoke();
    }
}
