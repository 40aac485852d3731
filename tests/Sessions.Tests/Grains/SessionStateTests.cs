using Microsoft.Extensions.Time.Testing;
using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class SessionStateTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Absolute = TimeSpan.FromHours(2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ExpiryAt_JustBeforeLastSeenPlusIdle_IsLive()
    {
        var session = NewSession();

        _time.Advance(Idle - TimeSpan.FromTicks(1));

        Assert.Null(session.ExpiryAt(_time.GetUtcNow(), Idle));
    }

    [Fact]
    public void ExpiryAt_ExactlyLastSeenPlusIdle_IsIdleExpired()
    {
        var session = NewSession();

        _time.Advance(Idle);

        Assert.Equal(SessionEndReason.IdleExpired, session.ExpiryAt(_time.GetUtcNow(), Idle));
    }

    [Fact]
    public void Slide_Later_MovesIdleExpiry()
    {
        var session = NewSession();
        _time.Advance(TimeSpan.FromMinutes(20));

        session.Slide(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(10), session.IdleExpiresAt(Idle));
        Assert.True(session.IsLive(_time.GetUtcNow(), Idle));
    }

    [Fact]
    public void Slide_Earlier_DoesNotMoveLastSeenBack()
    {
        var session = NewSession();
        var created = _time.GetUtcNow();

        session.Slide(created - TimeSpan.FromMinutes(5));

        Assert.Equal(created, session.LastSeenAt);
    }

    [Fact]
    public void ExpiryAt_PastAbsoluteWhileRecentlySlid_IsAbsoluteExpired()
    {
        var session = NewSession();
        for (var elapsed = TimeSpan.Zero; elapsed < Absolute; elapsed += TimeSpan.FromMinutes(10))
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            session.Slide(_time.GetUtcNow());
        }

        Assert.Equal(SessionEndReason.AbsoluteExpired, session.ExpiryAt(_time.GetUtcNow(), Idle));
    }

    [Fact]
    public void ToInfo_IdleExpiryPastAbsolute_ReportsAbsolute()
    {
        var session = NewSession();
        _time.Advance(Absolute - TimeSpan.FromMinutes(5));
        session.Slide(_time.GetUtcNow());

        var info = session.ToInfo(Idle);

        Assert.Equal(session.ExpiresAt, info.IdleExpiresAt);
    }

    [Fact]
    public void Rotate_Once_RemembersSpentHashAndSlides()
    {
        var session = NewSession();
        var first = session.RefreshTokenHash;
        _time.Advance(TimeSpan.FromMinutes(1));

        session.Rotate(Hash(1), _time.GetUtcNow());

        Assert.True(session.IsSpent(first));
        Assert.False(session.IsSpent(Hash(1)));
        Assert.Equal(Hash(1), session.RefreshTokenHash);
        Assert.Equal(_time.GetUtcNow(), session.RotatedAt);
        Assert.Equal(_time.GetUtcNow(), session.LastSeenAt);
    }

    [Fact]
    public void Rotate_MoreThanSpentHistory_KeepsOnlyTheLatestSpentHashes()
    {
        var session = NewSession();

        for (var i = 1; i <= SessionState.SpentHistory + 3; i++)
            session.Rotate(Hash(i), _time.GetUtcNow());

        // Hashes 0..10 were current in turn; 11 is now. The eight before it, oldest first, in one array.
        Assert.Equal([.. Hash(3), .. Hash(4), .. Hash(5), .. Hash(6), .. Hash(7), .. Hash(8), .. Hash(9), .. Hash(10)], session.SpentHashes!);
        Assert.Equal(Hash(10), session.LastSpent);
        Assert.False(session.IsSpent(Hash(0)));
        Assert.False(session.IsSpent(Hash(2)));
        Assert.True(session.IsSpent(Hash(3)));
    }

    [Fact]
    public void IsSpent_NeverRotated_IsFalseWithoutAHistory()
    {
        var session = NewSession();

        Assert.False(session.IsSpent(session.RefreshTokenHash));
        Assert.Null(session.LastSpent);
        Assert.Null(session.SpentHashes);
    }

    [Fact]
    public void Rotate_NewHashNotThirtyTwoBytes_Throws()
    {
        var session = NewSession();

        Assert.Throws<ArgumentException>(() => session.Rotate([1, 2, 3], _time.GetUtcNow()));
        Assert.Equal(Hash(0), session.RefreshTokenHash);
        Assert.Null(session.SpentHashes);
    }

    [Fact]
    public void IsSpent_PrefixOfASpentHash_IsFalse()
    {
        var session = NewSession();
        session.Rotate(Hash(1), _time.GetUtcNow());

        Assert.False(session.IsSpent(Hash(0).AsSpan(0, 16)));
        Assert.False(session.IsSpent([.. Hash(0), .. Hash(1)]));
    }

    [Fact]
    public void LastSpent_Changed_DoesNotChangeTheHistory()
    {
        var session = NewSession();
        session.Rotate(Hash(1), _time.GetUtcNow());

        session.LastSpent![0] = 9;

        Assert.Equal(Hash(0), session.LastSpent);
        Assert.True(session.IsSpent(Hash(0)));
    }

    [Fact]
    public void LastSpent_AfterRotations_IsTheHashTheLatestRotationReplaced()
    {
        var session = NewSession();
        session.Rotate(Hash(1), _time.GetUtcNow());
        session.Rotate(Hash(2), _time.GetUtcNow());

        Assert.Equal(Hash(1), session.LastSpent);
    }

    [Fact]
    public void MayAnswerPredecessor_LongAfterARotationWhoseNewPairWasNeverUsed_IsTrue()
    {
        var session = NewSession();
        session.Rotate(Hash(1), _time.GetUtcNow());

        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(session.MayAnswerPredecessor(_time.GetUtcNow(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void MayAnswerPredecessor_AfterGraceOnceATokenOfTheRotationsSecondWasChecked_IsFalse()
    {
        var session = NewSession();
        _time.Advance(TimeSpan.FromMilliseconds(700)); // 12:00:00.700: the new pair's iat is 12:00:00
        session.Rotate(Hash(1), _time.GetUtcNow());

        Assert.True(session.NoteAccess(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero)));
        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.False(session.MayAnswerPredecessor(_time.GetUtcNow(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void NoteAccess_TokenOfAnEarlierSecondThanTheRotation_DoesNotCountAsTheNewPair()
    {
        var session = NewSession();
        _time.Advance(TimeSpan.FromSeconds(3));
        session.Rotate(Hash(1), _time.GetUtcNow());

        Assert.False(session.NoteAccess(new DateTimeOffset(2030, 1, 1, 12, 0, 2, TimeSpan.Zero)));
        Assert.True(session.MayAnswerPredecessor(_time.GetUtcNow() + TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void MayAnswerPredecessor_WithinGraceAfterTheNewPairWasUsed_IsTrue()
    {
        var session = NewSession();
        session.Rotate(Hash(1), _time.GetUtcNow());
        session.NoteAccess(_time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(session.MayAnswerPredecessor(_time.GetUtcNow(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Rotate_AfterTheNewPairWasUsed_StartsTheNextPairUnused()
    {
        var session = NewSession();
        session.Rotate(Hash(1), _time.GetUtcNow());
        session.NoteAccess(_time.GetUtcNow());

        session.Rotate(Hash(2), _time.GetUtcNow());

        Assert.False(session.SuccessorSeen);
    }

    private SessionState NewSession()
    {
        var now = _time.GetUtcNow();
        return new SessionState
        {
            SessionId = Ids.New(),
            DeviceId = "device",
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + Absolute,
            RefreshTokenHash = Hash(0),
        };
    }

    private static byte[] Hash(int n) => [.. Enumerable.Repeat((byte)n, 32)];
}
