using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grains.Fencing;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>
/// The takeover guard's decisions on a fake monotonic clock, with L 40 s and F 31.2 s throughout: an activation's first
/// call needs a membership read sent at most 6.85 s before it (3.9 s + 1.95 s + 1 s); a dead silo without a marker
/// blocks for 40 s after the read that showed it dead completed, with a marker for 6 s (5 s transit + 1 s) after the
/// marker read completed.
/// </summary>
public sealed class TakeoverGuardTests
{
    private static readonly SiloAddress Self = Silo(11, 1);
    private static readonly SiloAddress Other = Silo(12, 1);
    private static readonly SiloAddress Third = Silo(13, 1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly TakeoverGuard _guard;
    private readonly long _start;

    public TakeoverGuardTests()
    {
        _guard = new TakeoverGuard(TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(31.2), _time, NullLogger<TakeoverGuard>.Instance);
        _start = _time.GetTimestamp();
    }

    [Fact]
    public void Refusal_BeforeAnyRead_Refuses() => Assert.NotNull(_guard.Refusal(_start));

    [Fact]
    public void Refusal_EveryoneAliveAndAFreshRead_IsNull()
    {
        Read(Entry(Other, SiloStatus.Active));

        Assert.Null(_guard.Refusal(_start));
    }

    [Fact]
    public void Refusal_ActivationFirstCalled6Point85SecondsAfterTheLastReadWasSent_IsNull()
    {
        Read(Entry(Other, SiloStatus.Active));

        Assert.Null(_guard.Refusal(At(6.85)));
    }

    [Fact]
    public void Refusal_ActivationFirstCalledLaterThan6Point85SecondsAfterTheLastReadWasSent_Refuses()
    {
        Read(Entry(Other, SiloStatus.Active));

        Assert.NotNull(_guard.Refusal(At(6.85) + 1));
    }

    [Fact]
    public void Refusal_DeclaredDeadWithoutMarker_RefusesANewActivationUntil40SecondsAfterTheReadThatShowedIt()
    {
        Read(Entry(Other, SiloStatus.Active));
        var activation = Advance(2);
        Advance(2);
        Read(Declared(Other), answeredAfter: 0.5);

        _time.SetUtcNow(_time.GetUtcNow() + TimeSpan.FromSeconds(40) - TimeSpan.FromTicks(1));
        Assert.NotNull(_guard.Refusal(activation));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(_guard.Refusal(activation));
    }

    [Fact]
    public void Refusal_DeclaredDead_LetsAnActivationFirstCalledBeforeTheLastReadShowingItAliveDecide()
    {
        var before = _start;
        Advance(1);
        Read(Entry(Other, SiloStatus.Active));
        Advance(4);
        Read(Declared(Other));

        Assert.Null(_guard.Refusal(before));
    }

    [Fact]
    public void Refusal_DeclaredDeadWithMarker_RefusesUntil6SecondsAfterTheMarkerWasSeen()
    {
        Read(Entry(Other, SiloStatus.Active));
        var activation = Advance(1);
        Advance(3);
        Read(Declared(Other));
        Advance(2);
        _guard.MarkersSeen([new(Other, TimeSpan.Zero)], _time.GetTimestamp());

        _time.Advance(TimeSpan.FromSeconds(6) - TimeSpan.FromTicks(1));
        Assert.NotNull(_guard.Refusal(activation));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(_guard.Refusal(activation));
    }

    [Fact]
    public void Refusal_MarkerWritten4SecondsBeforeItWasRead_RefusesFor2SecondsMore()
    {
        Read(Declared(Other));
        _guard.MarkersSeen([new(Other, TimeSpan.FromSeconds(4))], _time.GetTimestamp());

        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.NotNull(_guard.Refusal(_start));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(_guard.Refusal(_start));
    }

    [Fact]
    public void Refusal_MarkerWrittenLongBeforeItWasRead_DoesNotBlock()
    {
        Read(Declared(Other));
        _guard.MarkersSeen([new(Other, TimeSpan.FromDays(3))], _time.GetTimestamp());

        Assert.Null(_guard.Refusal(_start));
    }

    [Fact]
    public void Refusal_DeadInTheFirstReadEver_RefusesEveryActivationFor40Seconds()
    {
        Read(Declared(Other));

        Advance(39);
        Assert.NotNull(_guard.Refusal(_start));
        Advance(1);
        Assert.Null(_guard.Refusal(_start));
    }

    [Fact]
    public void Refusal_DeadRowWrittenByTheSiloItself_DoesNotBlock()
    {
        Read(Entry(Other, SiloStatus.Active));
        var activation = Advance(1);
        Read(Entry(Other, SiloStatus.Dead, suspectedBy: Other));

        Assert.Null(_guard.Refusal(activation));
    }

    [Fact]
    public void Refusal_DeadRowWrittenByANewerGenerationOnTheSameEndpoint_DoesNotBlock()
    {
        Read(Entry(Other, SiloStatus.Active));
        var activation = Advance(1);
        Read(Entry(Other, SiloStatus.Dead, suspectedBy: Silo(12, 2)));

        Assert.Null(_guard.Refusal(activation));
    }

    [Fact]
    public void Refusal_OwnRowDead_IsTheFencesBusinessNotTheGuards()
    {
        Read(Entry(Self, SiloStatus.Active));
        var activation = Advance(1);
        Read(Entry(Self, SiloStatus.Dead, suspectedBy: Other));

        Assert.Null(_guard.Refusal(activation));
    }

    [Fact]
    public void AwaitingMarker_ListsTheDeadSiloUntilItsMarkerIsSeen()
    {
        Read(Entry(Other, SiloStatus.Active), Entry(Third, SiloStatus.Active));
        Advance(1);
        Read(Declared(Other), Entry(Third, SiloStatus.Active));

        Assert.Equal([Other], _guard.AwaitingMarker());
        _guard.MarkersSeen([new(Other, TimeSpan.Zero)], _time.GetTimestamp());
        Assert.Empty(_guard.AwaitingMarker());
    }

    [Fact]
    public void TakeExpiredWithoutMarker_AfterTheLease_ReturnsTheDeadSiloOnce()
    {
        Read(Declared(Other));
        Advance(39);
        Assert.Empty(_guard.TakeExpiredWithoutMarker());

        Advance(1);
        Assert.Equal([Other], _guard.TakeExpiredWithoutMarker());
        Assert.Empty(_guard.TakeExpiredWithoutMarker());
    }

    [Fact]
    public void TakeExpiredWithoutMarker_AfterAMarker_ReturnsNothing()
    {
        Read(Declared(Other));
        _guard.MarkersSeen([new(Other, TimeSpan.Zero)], _time.GetTimestamp());

        Advance(40);
        Assert.Empty(_guard.TakeExpiredWithoutMarker());
    }

    private long At(double seconds) => _start + (long)(seconds * _time.TimestampFrequency);

    private long Advance(double seconds)
    {
        _time.Advance(TimeSpan.FromSeconds(seconds));
        return _time.GetTimestamp();
    }

    /// <summary>A read sent now and answered <paramref name="answeredAfter"/> seconds later; the clock ends at the answer.</summary>
    private void Read(params MembershipEntry[] entries) => Read(entries, 0);

    private void Read(MembershipEntry entry, double answeredAfter) => Read([entry], answeredAfter);

    private void Read(MembershipEntry[] entries, double answeredAfter)
    {
        var sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(answeredAfter));
        _guard.Observe(sent, _time.GetTimestamp(), entries, Self);
    }

    private static MembershipEntry Declared(SiloAddress silo) => Entry(silo, SiloStatus.Dead, suspectedBy: Self);

    private static MembershipEntry Entry(SiloAddress silo, SiloStatus status, SiloAddress? suspectedBy = null) => new()
    {
        SiloAddress = silo,
        Status = status,
        SuspectTimes = suspectedBy is null ? [] : [Tuple.Create(suspectedBy, new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc))],
    };

    private static SiloAddress Silo(int host, int generation) => SiloAddress.New(new IPEndPoint(IPAddress.Parse($"198.18.1.{host}"), 11111), generation);
}
