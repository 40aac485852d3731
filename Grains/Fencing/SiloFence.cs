using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sessions.Grains.Fencing;

/// <summary>
/// Whether this silo may still decide: it may until F after the sending of the last read that found its own
/// membership row Active. Fenced from start until that first read. One volatile read and a monotonic timestamp per
/// check, so every grain call can afford it.
/// </summary>
public sealed partial class SiloFence
{
    private readonly TimeProvider _time;
    private readonly ILogger<SiloFence> _logger;
    private readonly long _durationInTimestampUnits;
    private long _openUntil = long.MinValue;
    private long _lastConfirmation = long.MinValue;
    private int _reportedFenced = 1;
    private int _everConfirmed;
    private int _declaredDead;

    internal SiloFence(TimeSpan duration, TimeProvider time, ILogger<SiloFence> logger)
    {
        Duration = duration;
        _time = time;
        _logger = logger;
        _durationInTimestampUnits = (long)(duration.Ticks * ((double)time.TimestampFrequency / TimeSpan.TicksPerSecond));
    }

    /// <summary>F: how long a confirmation lets this silo decide.</summary>
    public TimeSpan Duration { get; }

    /// <summary>True while the last confirmation's read was sent F or longer ago, or none has been made yet, and for good once declared dead.</summary>
    public bool IsFenced => Volatile.Read(ref _declaredDead) != 0 || _time.GetTimestamp() >= Volatile.Read(ref _openUntil);

    /// <summary>True once this silo learned that the cluster declared it dead (or it is about to stop): fenced for good.</summary>
    public bool IsDeclaredDead => Volatile.Read(ref _declaredDead) != 0;

    /// <summary>How long ago the last confirming read was sent; null before the first.</summary>
    public TimeSpan? SinceConfirmation
    {
        get
        {
            var last = Volatile.Read(ref _lastConfirmation);
            return last == long.MinValue ? null : _time.GetElapsedTime(last);
        }
    }

    /// <summary>Why the silo is fenced, for readiness and for the refusal; null when it is not.</summary>
    public string? Reason() => !IsFenced ? null : IsDeclaredDead
        ? "This silo is fenced for good: the cluster declared it dead, or it is stopping."
        : SinceConfirmation is { } since
        ? string.Create(CultureInfo.InvariantCulture,
            $"This silo is fenced: its membership row was last confirmed Active {since.TotalSeconds:0.0} s ago, and a fence lasts {Duration.TotalSeconds:0.0} s.")
        : "This silo is fenced: it has not yet confirmed its membership row as Active.";

    /// <summary>A read sent at <paramref name="sentTimestamp"/> found this silo's row Active; the fence opens until sent + F.</summary>
    internal void Confirm(long sentTimestamp)
    {
        var openUntil = sentTimestamp + _durationInTimestampUnits;
        // Reads may overlap and finish out of order; a late answer to an older read must never shorten the fence.
        var current = Volatile.Read(ref _openUntil);
        while (openUntil > current)
        {
            var seen = Interlocked.CompareExchange(ref _openUntil, openUntil, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _lastConfirmation, sentTimestamp);
                break;
            }
            current = seen;
        }
        Observe();
    }

    /// <summary>
    /// Closes the fence for good: this silo was declared dead (no status ever follows Dead for a silo identity) or is
    /// about to stop. From the moment this returns, no Sessions grain call here decides, so a stopped marker may be written.
    /// Returns true the first time.
    /// </summary>
    internal bool DeclareDead()
    {
        if (Interlocked.Exchange(ref _declaredDead, 1) != 0)
            return false;
        LogDeclaredDead(_logger);
        Observe();
        return true;
    }

    /// <summary>Logs a transition into or out of the fence once; called by the monitor on every read and by refusals.</summary>
    internal void Observe()
    {
        var fenced = IsFenced;
        if (Interlocked.Exchange(ref _reportedFenced, fenced ? 1 : 0) == (fenced ? 1 : 0))
            return;
        if (fenced)
            LogFenced(_logger, SinceConfirmation?.TotalSeconds ?? 0, Duration.TotalSeconds);
        else if (Interlocked.Exchange(ref _everConfirmed, 1) == 0)
            LogFirstConfirmation(_logger, Duration.TotalSeconds);
        else
            LogRecovered(_logger);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Silo fenced: its membership row was last confirmed Active {SinceSeconds:0.0} s ago (fence {FenceSeconds:0.0} s); it refuses every grain decision until it confirms again")]
    private static partial void LogFenced(ILogger logger, double sinceSeconds, double fenceSeconds);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning,
        Message = "Silo fenced for good: the membership table declares it dead, or it is stopping; it refuses every grain decision from now on")]
    private static partial void LogDeclaredDead(ILogger logger);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Silo fence lifted: its membership row is confirmed Active again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Silo membership row confirmed Active; grain decisions allowed for {FenceSeconds:0.0} s after each confirmation")]
    private static partial void LogFirstConfirmation(ILogger logger, double fenceSeconds);
}
