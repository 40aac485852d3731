using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sessions.Grains.Fencing;

/// <summary>
/// Orleans' directory lease is kept short, so a dead silo's grains may re-activate here within seconds of its death;
/// this guard keeps such a new activation from deciding while the dead silo may still be answering. A silo seen declared
/// dead blocks every activation first called here after the last read that still showed it alive, until the dead-silo
/// lease L has passed since this silo first saw the declaration, or, if the dead silo wrote its stopped marker (it
/// fenced itself for good first), until the answer-transit bound and a margin after this silo first read the marker.
/// An activation may also decide only once a membership read sent no earlier than <see cref="FenceTiming.Freshness"/>
/// before its first call has completed, so no death declared before the activation can be unknown here.
/// Everything is on this silo's monotonic clock; the request path reads one immutable snapshot and compares timestamps.
/// </summary>
public sealed partial class TakeoverGuard
{
    private readonly TimeProvider _time;
    private readonly ILogger<TakeoverGuard> _logger;
    private readonly long _lease;
    private readonly long _afterMarker;
    private readonly long _freshness;
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, long> _lastAliveSent = [];
    private readonly HashSet<SiloAddress> _known = [];
    private readonly List<SiloAddress> _toMarkExpired = [];
    private volatile Snapshot _snapshot = new(long.MinValue, []);

    internal TakeoverGuard(TimeSpan deadSiloLease, TimeSpan fence, TimeProvider time, ILogger<TakeoverGuard> logger)
    {
        _time = time;
        _logger = logger;
        DeadSiloLease = deadSiloLease;
        _lease = ToTimestamp(deadSiloLease);
        _afterMarker = ToTimestamp(FenceTiming.AnswerTransit + FenceTiming.FixedMargin);
        _freshness = ToTimestamp(FenceTiming.Freshness(fence));
    }

    /// <summary>L: how long a dead silo without a stopped marker keeps new activations here from deciding.</summary>
    public TimeSpan DeadSiloLease { get; }

    /// <summary>Now, on the guard's clock.</summary>
    internal long Timestamp() => _time.GetTimestamp();

    /// <summary>Dead silos this guard waits for and has no stopped marker of: the ones to look for in the marker table.</summary>
    internal IReadOnlyList<SiloAddress> AwaitingMarker()
    {
        var now = _time.GetTimestamp();
        return [.. _snapshot.Pending.Where(p => p.MarkerSeenAt is null && now < p.OpenAt).Select(p => p.Silo)];
    }

    /// <summary>Dead silos whose lease ran out here without a marker: nothing they decided can still be answered, so a marker may be written for them.</summary>
    internal IReadOnlyList<SiloAddress> TakeExpiredWithoutMarker()
    {
        lock (_lock)
        {
            Prune(_time.GetTimestamp());
            var expired = _toMarkExpired.ToList();
            _toMarkExpired.Clear();
            return expired;
        }
    }

    /// <summary>
    /// A membership read sent at <paramref name="sent"/> and answered at <paramref name="completed"/> (both timestamps of
    /// this guard's clock) found these rows. A silo newly seen declared dead starts blocking; its lease counts from
    /// <paramref name="completed"/>, which is after the declaration was written.
    /// </summary>
    internal void Observe(long sent, long completed, IEnumerable<MembershipEntry> members, SiloAddress self)
    {
        lock (_lock)
        {
            var pending = _snapshot.Pending.ToBuilder();
            foreach (var entry in members)
            {
                var silo = entry.SiloAddress;
                if (silo.Equals(self))
                    continue;
                if (entry.Status != SiloStatus.Dead)
                {
                    _lastAliveSent[silo] = sent;
                    continue;
                }
                if (!_known.Add(silo))
                    continue;
                var lastAlive = _lastAliveSent.Remove(silo, out var at) ? at : long.MinValue;
                if (LeftByItself(entry))
                    continue;
                pending.Add(new Pending(silo, lastAlive, completed, completed + _lease, null));
                // A row already dead in this silo's first sight of it is mostly history (older runs); news is a warning.
                if (lastAlive == long.MinValue)
                    LogDeadAtFirstSight(_logger, silo.ToString());
                else
                    LogDeclaredDead(_logger, silo.ToString(), DeadSiloLease.TotalSeconds);
            }
            _snapshot = new Snapshot(Math.Max(sent, _snapshot.LastReadSent), pending.ToImmutable());
            Prune(completed);
        }
    }

    /// <summary>
    /// A read of the marker table answered at <paramref name="completed"/> found stopped markers for these silos, each
    /// written that long before the read (by the database's clock). Everything such a silo decided came before its
    /// marker, so its last answers are accepted by an API host no later than the transit bound after the marker was
    /// written: the guard opens the transit bound and a margin after the marker, counted from the read at the latest.
    /// </summary>
    internal void MarkersSeen(IEnumerable<KeyValuePair<SiloAddress, TimeSpan>> stopped, long completed)
    {
        lock (_lock)
        {
            var pending = _snapshot.Pending;
            foreach (var (silo, age) in stopped)
            {
                var index = pending.FindIndex(p => p.Silo.Equals(silo) && p.MarkerSeenAt is null);
                if (index < 0)
                    continue;
                var waiting = pending[index];
                var wait = _afterMarker - ToTimestamp(age > TimeSpan.Zero ? age : TimeSpan.Zero);
                var openAt = Math.Min(waiting.OpenAt, completed + (wait > 0 ? wait : 0));
                pending = pending.SetItem(index, waiting with { MarkerSeenAt = completed, OpenAt = openAt });
                LogMarkerSeen(_logger, silo.ToString(), ToTimeSpan(openAt - completed).TotalSeconds);
            }
            _snapshot = _snapshot with { Pending = pending };
        }
    }

    /// <summary>
    /// Null if an activation first called at <paramref name="firstCall"/> may decide now; otherwise why not. No lock and
    /// no allocation when it may.
    /// </summary>
    public string? Refusal(long firstCall)
    {
        var snapshot = _snapshot;
        if (snapshot.LastReadSent == long.MinValue || snapshot.LastReadSent < firstCall - _freshness)
            return "This silo has not read the membership table recently enough to know that no silo this grain may have lived on is still answering.";
        if (snapshot.Pending.IsEmpty)
            return null;
        var now = _time.GetTimestamp();
        foreach (var pending in snapshot.Pending)
        {
            if (firstCall >= pending.LastAliveSent && now < pending.OpenAt)
                return string.Create(CultureInfo.InvariantCulture,
                    $"Silo {pending.Silo} was declared dead and may still be answering for this grain; its grains are taken over in {ToTimeSpan(pending.OpenAt - now).TotalSeconds:0.0} s at the latest.");
        }
        return null;
    }

    private void Prune(long now)
    {
        var pending = _snapshot.Pending;
        if (pending.All(p => now < p.OpenAt))
            return;
        foreach (var done in pending.Where(p => now >= p.OpenAt))
        {
            if (done.MarkerSeenAt is null)
                _toMarkExpired.Add(done.Silo);
            LogTakenOver(_logger, done.Silo.ToString(), done.MarkerSeenAt is null ? "the dead-silo lease ran out" : "its stopped marker was seen");
        }
        _snapshot = _snapshot with { Pending = pending.RemoveAll(p => now >= p.OpenAt) };
    }

    /// <summary>
    /// A Dead row whose last suspector is the silo itself was written by that silo on its way out (a graceful stop);
    /// one written by a newer generation on the same endpoint means that endpoint was bound again, so the old process is
    /// gone. Neither can be answering. Any other Dead row was a declaration by the others.
    /// </summary>
    internal static bool LeftByItself(MembershipEntry entry)
    {
        var last = entry.SuspectTimes?.OrderBy(s => s.Item2).LastOrDefault()?.Item1;
        return last is not null && (last.Equals(entry.SiloAddress)
            || (last.Endpoint.Equals(entry.SiloAddress.Endpoint) && last.Generation > entry.SiloAddress.Generation));
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * ((double)_time.TimestampFrequency / TimeSpan.TicksPerSecond));

    private TimeSpan ToTimeSpan(long timestamps) => TimeSpan.FromTicks((long)(timestamps * ((double)TimeSpan.TicksPerSecond / _time.TimestampFrequency)));

    private sealed record Snapshot(long LastReadSent, ImmutableList<Pending> Pending);

    private sealed record Pending(SiloAddress Silo, long LastAliveSent, long DeadSeenAt, long OpenAt, long? MarkerSeenAt);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning,
        Message = "Silo {Silo} was declared dead: new activations here do not decide until its stopped marker is seen, or for {LeaseSeconds:0.0} s")]
    private static partial void LogDeclaredDead(ILogger logger, string silo, double leaseSeconds);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Information,
        Message = "Silo {Silo} was already declared dead when this silo first read the membership table: new activations here wait for its stopped marker or the dead-silo lease")]
    private static partial void LogDeadAtFirstSight(ILogger logger, string silo);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information,
        Message = "Dead silo {Silo} left its stopped marker: new activations here decide {WaitSeconds:0.0} s from now")]
    private static partial void LogMarkerSeen(ILogger logger, string silo, double waitSeconds);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "Dead silo {Silo} taken over: {Why}")]
    private static partial void LogTakenOver(ILogger logger, string silo, string why);
}
