using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Sessions.Bench;

/// <summary>
/// A full, blocking, compacting collection in another .NET process, requested through its diagnostics port the way
/// dotnet-gcdump does (the runtime's GCHeapCollect keyword) but without walking the heap; returns the managed heap's
/// size right after it. Needs no tool and no privilege beyond being the same user.
/// </summary>
internal static class ManagedHeap
{
    public static async Task<long?> CollectAsync(int pid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect)),
        };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, cancellationToken);
        using var source = new EventPipeEventSource(session.EventStream);
        var induced = -1;
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Clr.GCStart += e =>
        {
            if (induced < 0 && e.Depth == 2 && e.Type != GCType.BackgroundGC)
                induced = e.Count;
        };
        // GCHeapStats follows the GC it describes: the first one after the induced full GC started holds the survivors.
        source.Clr.GCHeapStats += e =>
        {
            if (induced >= 0)
                heap.TrySetResult(e.TotalHeapSize);
        };
        var reader = Task.Run(source.Process, CancellationToken.None);
        try
        {
            return await heap.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await reader.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
