namespace Sessions.Grains;

// CS8524 is about values no member names; IsDefined answers those first. CS8509 (a member left out) stays an error.
#pragma warning disable CS8524

/// <summary>
/// The one place an <see cref="AccessDenial"/> is put into words: the problem detail the client reads, the
/// <c>access_tokens_rejected</c> reason label.
/// </summary>
/// <remarks>
/// The switches have no discard arm, so a new member fails the build until it has all its faces. A value that no
/// member names (a newer silo's, mid-upgrade) is answered before the switch with what such a value always got:
/// an ended session.
/// </remarks>
public static class AccessDenialVocabulary
{
    private const string EndedDetail = "The session has ended.";
    private const string EndedLabel = "session_ended";

    /// <summary>The fixed problem detail of a denied bearer token.</summary>
    public static string ProblemDetail(this AccessDenial denial) => !Enum.IsDefined(denial) ? EndedDetail : denial switch
    {
        // A refusal that names no denial fails closed, as it always did: it reads as an ended session, never as a 500.
        AccessDenial.None => EndedDetail,
        AccessDenial.UnknownUser => "The token's user does not exist.",
        AccessDenial.Disabled => "The account is disabled.",
        AccessDenial.SessionEnded => EndedDetail,
        AccessDenial.IdleExpired => "The session ended after being idle.",
        AccessDenial.AbsoluteExpired => "The session reached its absolute lifetime.",
        AccessDenial.TokenRevoked => "The token has been revoked.",
    };

    /// <summary>The <c>reason</c> label of <c>access_tokens_rejected</c> for a grain's denial.</summary>
    public static string MetricLabel(this AccessDenial denial) => !Enum.IsDefined(denial) ? EndedLabel : denial switch
    {
        AccessDenial.None => EndedLabel,
        AccessDenial.UnknownUser => "unknown_user",
        AccessDenial.Disabled => "disabled",
        AccessDenial.SessionEnded => EndedLabel,
        AccessDenial.IdleExpired => "idle_expired",
        AccessDenial.AbsoluteExpired => "absolute_expired",
        AccessDenial.TokenRevoked => "revoked",
    };
}
