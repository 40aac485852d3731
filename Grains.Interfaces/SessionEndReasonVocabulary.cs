namespace Sessions.Grains;

// CS8524 is about values no member names; IsDefined answers those first. CS8509 (a member left out) stays an error.
#pragma warning disable CS8524

/// <summary>
/// The one place a <see cref="SessionEndReason"/> is put into words: the <c>ended</c> metric's reason label, the
/// audit log's reason field, and the denial a later check answers for a session that ended this way.
/// </summary>
/// <remarks>
/// The switches have no discard arm, so a new member fails the build until it has all its faces. A value that no
/// member names (a newer host's, mid-upgrade) is answered before the switch with what such a value always got.
/// </remarks>
public static class SessionEndReasonVocabulary
{
    private const string OtherLabel = "other";

    /// <summary>The <c>reason</c> label of the <c>ended</c> counter.</summary>
    public static string MetricLabel(this SessionEndReason reason) => !Enum.IsDefined(reason) ? OtherLabel : reason switch
    {
        SessionEndReason.Logout => "logout",
        SessionEndReason.Revoked => "revoked",
        SessionEndReason.IdleExpired => "idle_expired",
        SessionEndReason.AbsoluteExpired => "absolute_expired",
        SessionEndReason.CapEvicted => "cap_evicted",
        SessionEndReason.Theft => "theft",
        SessionEndReason.DeviceReplaced => "device_replaced",
        SessionEndReason.PasswordChanged => "password_changed",
        SessionEndReason.Disabled => "disabled",
    };

    /// <summary>The <c>Reason</c> field of an audit event: the metric's words, so a log line and a dashboard agree.</summary>
    public static string AuditReason(this SessionEndReason reason) => reason.MetricLabel();

    /// <summary>What a check answers for a session that ended this way: expiry says which, every other ending just ended.</summary>
    public static AccessDenial Denial(this SessionEndReason reason) => !Enum.IsDefined(reason) ? AccessDenial.SessionEnded : reason switch
    {
        SessionEndReason.IdleExpired => AccessDenial.IdleExpired,
        SessionEndReason.AbsoluteExpired => AccessDenial.AbsoluteExpired,
        SessionEndReason.Logout or SessionEndReason.Revoked or SessionEndReason.CapEvicted or SessionEndReason.Theft
            or SessionEndReason.DeviceReplaced or SessionEndReason.PasswordChanged or SessionEndReason.Disabled => AccessDenial.SessionEnded,
    };
}
