using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class RecentRotationsTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset RotatedAt = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TokenPair Pair = new("access", 300, "user.session.secret", "session", "device");

    private readonly RecentRotations _rotations = new(Grace);

    [Fact]
    public void Replay_SpentHashAtTheEndOfGrace_IsThePairItsRotationAnswered()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);

        Assert.Same(Pair, _rotations.Replay("session", Hash(1), RotatedAt + Grace));
    }

    [Fact]
    public void Replay_PastGrace_IsNothing()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);

        Assert.Null(_rotations.Replay("session", Hash(1), RotatedAt + Grace + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Replay_AnotherHash_IsNothing()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);

        Assert.Null(_rotations.Replay("session", Hash(2), RotatedAt));
    }

    [Fact]
    public void Replay_AnotherSession_IsNothing()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);

        Assert.Null(_rotations.Replay("other", Hash(1), RotatedAt));
    }

    [Fact]
    public void Replay_Forgotten_IsNothing()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);

        _rotations.Forget("session");

        Assert.Null(_rotations.Replay("session", Hash(1), RotatedAt));
    }

    [Fact]
    public void ForgetOlderThanGrace_Always_KeepsOnlyThoseWithinIt()
    {
        _rotations.Remember("old", Hash(1), Pair, RotatedAt);
        _rotations.Remember("recent", Hash(2), Pair, RotatedAt + TimeSpan.FromSeconds(1));

        _rotations.ForgetOlderThanGrace(RotatedAt + Grace + TimeSpan.FromTicks(1));

        Assert.Equal(1, _rotations.Count);
        Assert.Same(Pair, _rotations.Replay("recent", Hash(2), RotatedAt + Grace + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void New_NothingRemembered_HoldsNoMap() => Assert.False(_rotations.HoldsMap);

    [Fact]
    public void ForgetOlderThanGrace_AllPast_HoldsNoMapAnyMore()
    {
        _rotations.Remember("a", Hash(1), Pair, RotatedAt);
        _rotations.Remember("b", Hash(2), Pair, RotatedAt);

        _rotations.ForgetOlderThanGrace(RotatedAt + Grace + TimeSpan.FromTicks(1));

        Assert.Equal(0, _rotations.Count);
        Assert.False(_rotations.HoldsMap);
    }

    [Fact]
    public void Forget_TheLastOne_HoldsNoMapAnyMore()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);

        _rotations.Forget("session");

        Assert.False(_rotations.HoldsMap);
    }

    [Fact]
    public void Remember_AfterTheMapWasDropped_ReplaysAgain()
    {
        _rotations.Remember("session", Hash(1), Pair, RotatedAt);
        _rotations.ForgetOlderThanGrace(RotatedAt + Grace + TimeSpan.FromTicks(1));

        _rotations.Remember("session", Hash(2), Pair, RotatedAt + Grace + TimeSpan.FromSeconds(1));

        Assert.Same(Pair, _rotations.Replay("session", Hash(2), RotatedAt + Grace + TimeSpan.FromSeconds(2)));
    }

    private static byte[] Hash(int n) => [.. Enumerable.Repeat((byte)n, 32)];
}
