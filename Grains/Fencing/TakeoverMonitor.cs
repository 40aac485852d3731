using Microsoft.Extensions.Logging;

namespace Sessions.Grains.Fencing;

/// <summary>
/// The takeover guard's database side, off the request path: once a second it writes this silo's stopped marker if the
/// fence is closed for good and the marker is not written yet, looks for the markers of dead silos the guard waits for
/// (only while there are any), and writes a marker for a dead silo whose lease ran out here, so silos started later need
/// not wait for it.
/// </summary>
internal sealed partial class TakeoverMonitor(
    TakeoverGuard guard,
    SiloFence fence,
    IStoppedSiloMarkers markers,
    ILocalSiloDetails localSilo,
    ILogger<TakeoverMonitor> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _ownMarkerWritten;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TakeoverMonitor), ServiceLifecycleStage.BecomeActive, OnStart, OnStop);

    /// <summary>Writes this silo's stopped marker; only ever after the fence closed for good. True once written.</summary>
    internal async Task<bool> WriteOwnMarker(CancellationToken cancellationToken)
    {
        if (!fence.IsDeclaredDead)
            throw new InvalidOperationException("A stopped marker may be written only once the fence is closed for good.");
        if (Volatile.Read(ref _ownMarkerWritten) != 0)
            return true;
        try
        {
            await markers.MarkAsync(localSilo.SiloAddress, "stopped", cancellationToken).WaitAsync(CallTimeout, _time, cancellationToken);
            Volatile.Write(ref _ownMarkerWritten, 1);
            LogOwnMarkerWritten(logger);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMarkerFailed(logger, exception);
            return false;
        }
    }

    private Task OnStart(CancellationToken cancellationToken)
    {
        _loop = Run(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task Run(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(FenceTiming.MarkerPollPeriod, _time);
        try
        {
            // At once as well: a silo that just started finds the markers of the dead rows its first read showed.
            await Once(stopping);
            while (await timer.WaitForNextTickAsync(stopping))
                await Once(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task Once(CancellationToken stopping)
    {
        if (fence.IsDeclaredDead)
            await WriteOwnMarker(stopping);
        var awaiting = guard.AwaitingMarker();
        if (awaiting.Count > 0)
        {
            try
            {
                var found = await markers.FindAsync(awaiting, stopping).WaitAsync(CallTimeout, _time, stopping);
                guard.MarkersSeen(found, _time.GetTimestamp());
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                LogMarkerFailed(logger, exception);
            }
        }
        foreach (var expired in guard.TakeExpiredWithoutMarker())
        {
            try
            {
                await markers.MarkAsync(expired, "lease", stopping).WaitAsync(CallTimeout, _time, stopping);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                // Only a shortcut for silos started later: without it they wait the lease once more.
                LogMarkerFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "This silo is fenced for good and wrote its stopped marker: survivors may take its grains over")]
    private static partial void LogOwnMarkerWritten(ILogger logger);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Debug, Message = "Reading or writing stopped markers failed; tried again in a second")]
    private static partial void LogMarkerFailed(ILogger logger, Exception exception);
}
