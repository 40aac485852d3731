using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

/// <summary>The refresh rules on a session: which secret was presented, and what a just-spent one is answered.</summary>
public sealed class SessionStateRefreshTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RotatedAt = Start + TimeSpan.FromMinutes(1);

    [Fact]
    public void Recognise_CurrentSecret_IsCurrent()
    {
        var session = Rotated(times: 2);

        Assert.Equal(PresentedSecret.Current, session.Recognise(Hash(2)));
    }

    [Fact]
    public void Recognise_SecretTheLatestRotationSpent_IsJustSpent()
    {
        var session = Rotated(times: 2);

        Assert.Equal(PresentedSecret.JustSpent, session.Recognise(Hash(1)));
    }

    [Fact]
    public void Recognise_OlderSpentSecret_IsSpent()
    {
        var session = Rotated(times: 2);

        Assert.Equal(PresentedSecret.Spent, session.Recognise(Hash(0)));
    }

    [Fact]
    public void Recognise_SecretNeverIssued_IsUnknown()
    {
        var session = Rotated(times: 2);

        Assert.Equal(PresentedSecret.Unknown, session.Recognise(Hash(9)));
    }

    [Fact]
    public void Recognise_NeverRotatedAndNotCurrent_IsUnknown()
    {
        var session = Rotated(times: 0);

        Assert.Equal(PresentedSecret.Unknown, session.Recognise(Hash(1)));
    }

    [Fact]
    public void AnswerJustSpent_DerivedSuccessorAtTheEndOfGraceAfterItWasUsed_IsReplayed()
    {
        var session = Rotated(times: 1);
        session.NoteAccess(RotatedAt);

        Assert.Equal(RefreshOutcome.Replayed, session.AnswerJustSpent(Hash(1), RotatedAt + Grace, Grace));
    }

    [Fact]
    public void AnswerJustSpent_DerivedSuccessorLongAfterWhileUnused_IsReplayed()
    {
        var session = Rotated(times: 1);

        Assert.Equal(RefreshOutcome.Replayed, session.AnswerJustSpent(Hash(1), RotatedAt + TimeSpan.FromHours(1), Grace));
    }

    [Fact]
    public void AnswerJustSpent_DerivedSuccessorPastGraceOnceUsed_IsTheft()
    {
        var session = Rotated(times: 1);
        session.NoteAccess(RotatedAt);

        Assert.Equal(RefreshOutcome.Theft, session.AnswerJustSpent(Hash(1), RotatedAt + Grace + TimeSpan.FromTicks(1), Grace));
    }

    [Fact]
    public void AnswerJustSpent_RandomSuccessorAtTheEndOfGrace_IsRejected()
    {
        var session = Rotated(times: 1);

        Assert.Equal(RefreshOutcome.Rejected, session.AnswerJustSpent(Hash(7), RotatedAt + Grace, Grace));
    }

    [Fact]
    public void AnswerJustSpent_RandomSuccessorPastGrace_IsTheft()
    {
        var session = Rotated(times: 1);

        Assert.Equal(RefreshOutcome.Theft, session.AnswerJustSpent(Hash(7), RotatedAt + Grace + TimeSpan.FromTicks(1), Grace));
    }

    // A session whose first secret hashes to Hash(0), rotated to Hash(1), Hash(2), … at RotatedAt.
    private static SessionState Rotated(int times)
    {
        var session = new SessionState
        {
            SessionId = "s",
            DeviceId = "d",
            CreatedAt = Start,
            LastSeenAt = Start,
            ExpiresAt = Start + TimeSpan.FromDays(1),
            RefreshTokenHash = Hash(0),
        };
        for (var i = 1; i <= times; i++)
            session.Rotate(Hash(i), RotatedAt);
        return session;
    }

    private static byte[] Hash(int n) => [.. Enumerable.Repeat((byte)n, 32)];
}
