using Microsoft.Extensions.Time.Testing;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class WriteScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly WriteSchedule _writes;

    public WriteScheduleTests()
    {
        _writes = new WriteSchedule(_time, Interval, Retry);
        _writes.Activated();
    }

    [Fact]
    public void IsLazyWriteDue_JustBeforeTheIntervalAfterActivation_IsFalse()
    {
        _time.Advance(Interval - TimeSpan.FromTicks(1));

        Assert.False(_writes.IsLazyWriteDue(_time.GetUtcNow()));
    }

    [Fact]
    public void IsLazyWriteDue_AtTheIntervalAfterActivation_IsTrue()
    {
        _time.Advance(Interval);

        Assert.True(_writes.IsLazyWriteDue(_time.GetUtcNow()));
    }

    [Fact]
    public void Dirty_AfterACheckChangedMemory_IsTrue()
    {
        Assert.False(_writes.Dirty);

        _writes.Changed();

        Assert.True(_writes.Dirty);
    }

    [Fact]
    public void LazyWriteStored_WithNoLaterChange_IsCleanAndDueAnIntervalAfterIt()
    {
        _writes.Changed();
        _time.Advance(Interval);
        var mark = _writes.LazyWriteStarting();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(_writes.LazyWriteStored(mark));

        Assert.False(_writes.Dirty);
        _time.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.False(_writes.IsLazyWriteDue(_time.GetUtcNow()));
    }

    [Fact]
    public void LazyWriteStored_AfterAChangeMadeDuringIt_StaysDirty()
    {
        _writes.Changed();
        var mark = _writes.LazyWriteStarting();
        _writes.Changed();

        _writes.LazyWriteStored(mark);

        Assert.True(_writes.Dirty);
    }

    [Fact]
    public void WantWrite_NothingInFlight_IsTrue()
    {
        Assert.True(_writes.WantWrite());
    }

    [Fact]
    public void WantWrite_DuringALazyWrite_IsFalseAndItsEndStartsAnother()
    {
        var mark = _writes.LazyWriteStarting();
        _writes.Changed();

        Assert.False(_writes.WantWrite());

        Assert.True(_writes.LazyWriteStored(mark));
    }

    [Fact]
    public void WantWrite_DuringACommandWrite_IsFalseAndTheCommandsEndAsksForIt()
    {
        var mark = _writes.CommandWriting();
        _writes.Changed();

        Assert.False(_writes.WantWrite());

        Assert.True(_writes.CommandStored(mark));
        Assert.True(_writes.WantWrite());
    }

    [Fact]
    public void LazyWriteStored_WhileACommandWaitsToWrite_LeavesTheWishToTheCommand()
    {
        var lazy = _writes.LazyWriteStarting();
        _writes.Changed();
        Assert.False(_writes.WantWrite());
        var command = _writes.CommandWriting();

        Assert.False(_writes.LazyWriteStored(lazy));

        _writes.Changed();
        Assert.True(_writes.CommandStored(command));
    }

    [Fact]
    public void CommandStored_NoWishDuringIt_AsksForNothing()
    {
        var mark = _writes.CommandWriting();

        Assert.False(_writes.CommandStored(mark));
        Assert.False(_writes.Dirty);
    }

    [Fact]
    public void CommandFailed_AfterAWishDuringIt_DropsTheWishAndStaysDirty()
    {
        var command = _writes.CommandWriting();
        _writes.Changed();
        Assert.False(_writes.WantWrite());

        _writes.CommandFailed(conflict: false);

        Assert.True(_writes.Dirty);
        Assert.False(_writes.Discarded);
        var lazy = _writes.LazyWriteStarting();
        Assert.False(_writes.LazyWriteStored(lazy));
    }

    [Fact]
    public void LazyWriteFailed_Always_IsDueAgainAfterTheRetryDelayNotTheInterval()
    {
        _writes.Changed();
        _writes.LazyWriteStarting();

        _writes.LazyWriteFailed(conflict: false);

        Assert.True(_writes.Dirty);
        _time.Advance(Retry - TimeSpan.FromTicks(1));
        Assert.False(_writes.IsLazyWriteDue(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(_writes.IsLazyWriteDue(_time.GetUtcNow()));
    }

    [Fact]
    public void LazyWriteFailed_Conflict_DiscardsAndNoWriteIsWantedAgain()
    {
        _writes.LazyWriteStarting();

        _writes.LazyWriteFailed(conflict: true);

        Assert.True(_writes.Discarded);
        Assert.False(_writes.WantWrite());
    }

    [Fact]
    public void CommandFailed_Conflict_Discards()
    {
        _writes.CommandWriting();

        _writes.CommandFailed(conflict: true);

        Assert.True(_writes.Discarded);
        Assert.False(_writes.WantWrite());
    }
}
