using Sessions.Grains;

namespace Sessions.Tests.Grains;

public sealed class SessionEndReasonVocabularyTests
{
    // Every ending and its faces: the ended counter's label, the audit Reason field, the denial a later check answers.
    public static readonly TheoryData<SessionEndReason, string, string, AccessDenial> Faces = new()
    {
        { SessionEndReason.Logout, "logout", "logout", AccessDenial.SessionEnded },
        { SessionEndReason.Revoked, "revoked", "revoked", AccessDenial.SessionEnded },
        { SessionEndReason.IdleExpired, "idle_expired", "idle_expired", AccessDenial.IdleExpired },
        { SessionEndReason.AbsoluteExpired, "absolute_expired", "absolute_expired", AccessDenial.AbsoluteExpired },
        { SessionEndReason.CapEvicted, "cap_evicted", "cap_evicted", AccessDenial.SessionEnded },
        { SessionEndReason.Theft, "theft", "theft", AccessDenial.SessionEnded },
        { SessionEndReason.DeviceReplaced, "device_replaced", "device_replaced", AccessDenial.SessionEnded },
        { SessionEndReason.PasswordChanged, "password_changed", "password_changed", AccessDenial.SessionEnded },
        { SessionEndReason.Disabled, "disabled", "disabled", AccessDenial.SessionEnded },
    };

    [Theory]
    [MemberData(nameof(Faces))]
    public void Faces_EachReason_AreItsMetricLabelAuditReasonAndDenial(SessionEndReason reason, string label, string audit, AccessDenial denial)
    {
        Assert.Equal((label, audit, denial), (reason.MetricLabel(), reason.AuditReason(), reason.Denial()));
    }

    [Fact]
    public void Faces_EveryMember_HasARow()
    {
        var covered = Faces.Select(row => (SessionEndReason)row[0]).Order();

        Assert.Equal(Enum.GetValues<SessionEndReason>().Order(), covered);
    }

    [Fact]
    public void MetricLabel_ValueNoMemberNames_IsOther()
    {
        Assert.Equal("other", ((SessionEndReason)99).MetricLabel());
    }

    [Fact]
    public void Denial_ValueNoMemberNames_IsSessionEnded()
    {
        Assert.Equal(AccessDenial.SessionEnded, ((SessionEndReason)99).Denial());
    }
}
