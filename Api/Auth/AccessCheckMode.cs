namespace Sessions.Api.Auth;

/// <summary>Whether a decision stands for a request of the token's user (and so slides the session) or only looks.</summary>
internal enum AccessCheckMode
{
    /// <summary><c>IUserGrain.CheckAccess</c>: the user made a request; the idle timeout slides.</summary>
    Request,

    /// <summary><c>IUserGrain.Introspect</c>: someone else asks about the token (an admin); nothing slides.</summary>
    Look,
}
