namespace Sessions.Grains.Fencing;

/// <summary>
/// Orleans' fatal-error handler (it ends the process, e.g. when a silo finds itself declared dead) with the fence closed
/// for good and this silo's stopped marker written first, so survivors can take its grains over without waiting out the
/// whole dead-silo lease. Writing is bounded: a silo that cannot reach the database ends as before, without a marker.
/// </summary>
internal sealed class FencingFatalErrorHandler(IFatalErrorHandler inner, SiloFence fence, TakeoverMonitor monitor) : IFatalErrorHandler
{
    private static readonly TimeSpan MarkerPatience = TimeSpan.FromSeconds(2.5);

    public bool IsUnexpected(Exception exception) => inner.IsUnexpected(exception);

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        fence.DeclareDead();
        try
        {
            // Off whatever scheduler the caller is on: this thread only waits, bounded.
            Task.Run(() => monitor.WriteOwnMarker(CancellationToken.None)).Wait(MarkerPatience);
        }
        catch (Exception)
        {
            // The process is ending either way; without a marker the survivors wait the lease.
        }
        inner.OnFatalException(sender, context, exception);
    }
}
