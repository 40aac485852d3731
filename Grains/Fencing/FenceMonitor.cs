using Microsoft.Extensions.Logging;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Fencing;

/// <summary>
/// Reads the membership table every F/8 and confirms the fence when this silo's own row says Active, as of the moment
/// the read was sent: the database answered from a moment after that, so no declaration of this silo's death had been
/// written before it. A row that says Dead closes the fence for good at once. Every read also tells the takeover guard
/// which other silos are alive or declared dead. Start-up waits for the first confirmation, so the start-up tasks and
/// the first requests find the fence open.
/// </summary>
internal sealed partial class FenceMonitor(
    SiloFence fence,
    TakeoverGuard guard,
    FenceMetrics metrics,
    IMembershipTable table,
    ILocalSiloDetails localSilo,
    ILogger<FenceMonitor> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan FirstConfirmationRetry = TimeSpan.FromMilliseconds(200);

    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    // Created with the monitor, so the gauge is exported from start-up on.
    internal FenceMetrics Metrics { get; } = metrics;

    public void Participate(ISiloLifecycle lifecycle) =>
        // The membership agent writes the row Active in this same stage; waiting here holds the Active stage back until it did.
        lifecycle.Subscribe(nameof(FenceMonitor), ServiceLifecycleStage.BecomeActive, OnStart, OnStop);

    private async Task OnStart(CancellationToken cancellationToken)
    {
        // Bounded, so a silo whose row never turns Active (its join failed, or it was declared dead while starting)
        // stops with a reason an orchestrator can act on instead of hanging in start-up.
        var patience = FirstConfirmationPatience(fence.Duration);
        var started = _time.GetTimestamp();
        while (!await ReadOnce(cancellationToken))
        {
            if (fence.IsDeclaredDead)
                throw new InvalidOperationException("The membership table declares this silo dead before it served; it will not serve.");
            if (_time.GetElapsedTime(started) >= patience)
                throw new InvalidOperationException(
                    $"This silo could not confirm its own membership row as Active within {patience}; it will not serve without a fence.");
            await Task.Delay(FirstConfirmationRetry, _time, cancellationToken);
        }
        _loop = Run(_stopping.Token);
    }

    /// <summary>How long start-up waits for the first confirmation: four fences, and never under 30 s.</summary>
    internal static TimeSpan FirstConfirmationPatience(TimeSpan fence) =>
        fence * 4 > TimeSpan.FromSeconds(30) ? fence * 4 : TimeSpan.FromSeconds(30);

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task Run(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(FenceTiming.ReadPeriod(fence.Duration), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                // Not awaited: a read that hangs until its timeout must not push the next one back.
                _ = ReadOnce(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One read of the table; true if it confirmed this silo's row.</summary>
    private async Task<bool> ReadOnce(CancellationToken cancellationToken)
    {
        var sent = _time.GetTimestamp();
        var timeout = FenceTiming.ReadTimeout(fence.Duration);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            // The token cancels the query itself; WaitAsync bounds a table that ignores it.
            // The whole table (a few rows per silo): the own row for the fence, the others for the takeover guard.
            var data = await table.ReadAllAsync(linked.Token).WaitAsync(timeout, _time, cancellationToken);
            guard.Observe(sent, _time.GetTimestamp(), data.Members.Select(member => member.Item1), localSilo.SiloAddress);
            if (IsActive(data, localSilo.SiloAddress, out var status))
            {
                fence.Confirm(sent);
                return true;
            }
            // Dead is final for a silo identity: stop deciding now rather than F after the last confirmation.
            if (status == SiloStatus.Dead)
                fence.DeclareDead();
            LogNotActive(logger, status?.ToString() ?? "absent");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(logger, exception);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down, or start-up given up.
        }
        finally
        {
            fence.Observe();
        }
        return false;
    }

    /// <summary>Only the row of this very silo (its generation included) saying Active confirms; any other status or no row does not.</summary>
    internal static bool IsActive(MembershipTableData data, SiloAddress silo, out SiloStatus? status)
    {
        status = data.Members.FirstOrDefault(member => member.Item1.SiloAddress.Equals(silo))?.Item1.Status;
        return status == SiloStatus.Active;
    }

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "The membership table has this silo's row as {Status}, not Active: no confirmation")]
    private static partial void LogNotActive(ILogger logger, string status);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "Reading this silo's membership row failed or timed out: no confirmation")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
