using Sessions.Grains;

namespace Sessions.Tests.Grains;

public sealed class AccessDenialVocabularyTests
{
    // Every denial and the words it goes out with: the problem detail and the access_tokens_rejected label.
    public static readonly TheoryData<AccessDenial, string, string> Faces = new()
    {
        { AccessDenial.UnknownUser, "The token's user does not exist.", "unknown_user" },
        { AccessDenial.Disabled, "The account is disabled.", "disabled" },
        { AccessDenial.SessionEnded, "The session has ended.", "session_ended" },
        { AccessDenial.IdleExpired, "The session ended after being idle.", "idle_expired" },
        { AccessDenial.AbsoluteExpired, "The session reached its absolute lifetime.", "absolute_expired" },
        { AccessDenial.TokenRevoked, "The token has been revoked.", "revoked" },
    };

    [Theory]
    [MemberData(nameof(Faces))]
    public void Faces_EachDenial_AreItsProblemDetailAndMetricLabel(AccessDenial denial, string detail, string label)
    {
        Assert.Equal((detail, label), (denial.ProblemDetail(), denial.MetricLabel()));
    }

    [Fact]
    public void Faces_EveryMemberButNone_HasARow()
    {
        var covered = Faces.Select(row => (AccessDenial)row[0]).Append(AccessDenial.None).Order();

        Assert.Equal(Enum.GetValues<AccessDenial>().Order(), covered);
    }

    [Fact]
    public void ProblemDetail_None_ReadsAsAnEndedSession()
    {
        Assert.Equal("The session has ended.", AccessDenial.None.ProblemDetail());
    }

    [Fact]
    public void MetricLabel_None_IsSessionEnded()
    {
        Assert.Equal("session_ended", AccessDenial.None.MetricLabel());
    }

    [Fact]
    public void ProblemDetail_ValueNoMemberNames_ReadsAsAnEndedSession()
    {
        Assert.Equal("The session has ended.", ((AccessDenial)99).ProblemDetail());
    }

    [Fact]
    public void MetricLabel_ValueNoMemberNames_IsSessionEnded()
    {
        Assert.Equal("session_ended", ((AccessDenial)99).MetricLabel());
    }
}

