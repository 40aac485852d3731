using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grains.Fencing;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>The fence's state machine on a fake monotonic clock; F is 10 s throughout.</summary>
public sealed class SiloFenceTests
{
    private static readonly TimeSpan F = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<SiloFence> _log = new();
    private readonly SiloFence _fence;

    public SiloFenceTests() => _fence = new SiloFence(F, _time, _log);

    [Fact]
    public void IsFenced_BeforeTheFirstConfirmation_IsTrue() => Assert.True(_fence.IsFenced);

    [Fact]
    public void IsFenced_OneTickBeforeConfirmationPlusF_IsFalse()
    {
        _fence.Confirm(_time.GetTimestamp());

        _time.Advance(F - TimeSpan.FromTicks(1));

        Assert.False(_fence.IsFenced);
    }

    [Fact]
    public void IsFenced_AtExactlyConfirmationPlusF_IsTrue()
    {
        _fence.Confirm(_time.GetTimestamp());

        _time.Advance(F);

        Assert.True(_fence.IsFenced);
    }

    [Fact]
    public void Confirm_AfterTheFenceClosed_OpensItAgain()
    {
        _fence.Confirm(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(15));

        _fence.Confirm(_time.GetTimestamp());

        Assert.False(_fence.IsFenced);
    }

    [Fact]
    public void Confirm_OfAReadThatTookLong_CountsFromWhenItWasSent()
    {
        var sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(4));
        _fence.Confirm(sent);

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.True(_fence.IsFenced);
    }

    [Fact]
    public void Confirm_OfAnOlderReadAnsweredLast_DoesNotShortenTheFence()
    {
        var older = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(3));
        _fence.Confirm(_time.GetTimestamp());
        _fence.Confirm(older);

        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.False(_fence.IsFenced);
    }

    [Fact]
    public void Reason_WhileFenced_SaysSinceWhenAndHowLongAFenceLasts()
    {
        _fence.Confirm(_time.GetTimestamp());

        _time.Advance(TimeSpan.FromSeconds(12.5));

        Assert.Equal("This silo is fenced: its membership row was last confirmed Active 12.5 s ago, and a fence lasts 10.0 s.", _fence.Reason());
    }

    [Fact]
    public void DeclareDead_WhileOpen_FencesAtOnceAndForGood()
    {
        _fence.Confirm(_time.GetTimestamp());

        _fence.DeclareDead();
        _fence.Confirm(_time.GetTimestamp());

        Assert.True(_fence.IsFenced);
        Assert.Equal("This silo is fenced for good: the cluster declared it dead, or it is stopping.", _fence.Reason());
    }

    [Fact]
    public void DeclareDead_Twice_ReportsOnlyTheFirst()
    {
        Assert.True(_fence.DeclareDead());
        Assert.False(_fence.DeclareDead());
    }

    [Fact]
    public void Reason_WhileOpen_IsNull()
    {
        _fence.Confirm(_time.GetTimestamp());

        Assert.Null(_fence.Reason());
    }

    [Fact]
    public void Observe_FencingThenRecovering_WarnsOncePerTransition()
    {
        _fence.Confirm(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(11));
        _fence.Observe();
        _fence.Observe();
        _fence.Observe();
        _fence.Confirm(_time.GetTimestamp());
        _fence.Observe();

        var warnings = _log.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Id.Id).ToArray();
        Assert.Equal([4101, 4102], warnings);
    }

    [Fact]
    public void Confirm_TheFirst_LogsNoWarning()
    {
        _fence.Confirm(_time.GetTimestamp());

        Assert.DoesNotContain(_log.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData(SiloStatus.Joining)]
    [InlineData(SiloStatus.ShuttingDown)]
    [InlineData(SiloStatus.Stopping)]
    [InlineData(SiloStatus.Dead)]
    public void IsActive_OwnRowNotActive_DoesNotConfirm(SiloStatus status)
    {
        var me = Silo(generation: 1);

        Assert.False(FenceMonitor.IsActive(Table((me, status)), me, out _));
    }

    [Fact]
    public void IsActive_OwnRowActive_Confirms()
    {
        var me = Silo(generation: 1);

        Assert.True(FenceMonitor.IsActive(Table((me, SiloStatus.Active)), me, out _));
    }

    [Fact]
    public void IsActive_OnlyAnEarlierGenerationOnTheSameEndpointActive_DoesNotConfirm() =>
        Assert.False(FenceMonitor.IsActive(Table((Silo(generation: 1), SiloStatus.Active)), Silo(generation: 2), out _));

    [Fact]
    public void IsActive_NoRow_DoesNotConfirm() =>
        Assert.False(FenceMonitor.IsActive(Table(), Silo(generation: 1), out _));

    private static SiloAddress Silo(int generation) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), generation);

    private static MembershipTableData Table(params (SiloAddress Silo, SiloStatus Status)[] rows) => new(
        rows.Select(row => Tuple.Create(new MembershipEntry { SiloAddress = row.Silo, Status = row.Status }, "etag")).ToList(),
        new TableVersion(1, "v1"));
}
