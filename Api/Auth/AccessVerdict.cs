namespace Sessions.Api.Auth;

internal enum AccessVerdict
{
    Accepted,
    Rejected,
    Unavailable,
}
