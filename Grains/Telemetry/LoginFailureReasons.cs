namespace Sessions.Grains.Telemetry;

/// <summary>Why a password login was refused: the <c>reason</c> label of <c>sessions_login_failures</c> and of audit event 1003.</summary>
internal static class LoginFailureReasons
{
    public const string BadPassword = "bad_password";
    public const string UnknownUser = "unknown_user";
    public const string Disabled = "disabled";
    public const string LockedOut = "locked_out";
}
