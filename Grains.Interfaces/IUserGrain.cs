using Orleans.Concurrency;

namespace Sessions.Grains;

/// <summary>One user: account, live sessions, revocations. The only place that decides whether a session is live.</summary>
[Alias("Sessions.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the account; false if this user id already has one.</summary>
    [Alias("Create")]
    Task<bool> Create(NewAccount account, CancellationToken cancellationToken = default);

    /// <summary>The account, or null if it does not exist.</summary>
    [Alias("GetAccount")]
    Task<AccountInfo?> GetAccount(CancellationToken cancellationToken = default);

    /// <summary>Checks the password and lockout, then starts a session and issues its first token pair.</summary>
    [Alias("Login")]
    Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default);

    /// <summary>Rotates a refresh token; a spent one past the grace window ends its session.</summary>
    [Alias("Refresh")]
    Task<TokenOutcome> Refresh(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Answers whether an access token's session is live, and slides its idle timeout; drops the session if it finds it expired.</summary>
    /// <remarks>
    /// Interleaves with the user's commands, so a request never waits behind a login, refresh or revocation whose
    /// write is in flight (up to the storage timeout while the database is down). It answers from memory, which holds
    /// a command's change from before its write: a revoked session is denied before the revocation is acknowledged.
    /// </remarks>
    [AlwaysInterleave]
    [Alias("CheckAccess")]
    Task<AccessCheckResult> CheckAccess(AccessCheck check, CancellationToken cancellationToken = default);

    /// <summary>Answers whether an access token's session is live, without sliding it or changing anything else.</summary>
    /// <remarks>Interleaves with the user's commands, as <see cref="CheckAccess"/> does.</remarks>
    [AlwaysInterleave]
    [Alias("Introspect")]
    Task<AccessCheckResult> Introspect(AccessCheck check, CancellationToken cancellationToken = default);

    /// <summary>The live sessions.</summary>
    [Alias("GetSessions")]
    Task<IReadOnlyList<SessionInfo>> GetSessions(CancellationToken cancellationToken = default);

    /// <summary>Ends one live session; false if there is no such live session.</summary>
    [Alias("EndSession")]
    Task<bool> EndSession(string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default);

    /// <summary>Ends every session on a device and rejects every token issued to it up to now.</summary>
    [Alias("RevokeDevice")]
    Task RevokeDevice(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Logs out the caller's session, every other one, or all of them.</summary>
    [Alias("Logout")]
    Task Logout(string sessionId, LogoutScope scope, CancellationToken cancellationToken = default);

    /// <summary>Ends every session and rejects every token issued up to now.</summary>
    [Alias("RevokeAll")]
    Task RevokeAll(CancellationToken cancellationToken = default);

    /// <summary>RFC 7009 for a refresh token: ends its session if it is the session's current or a recently spent one.</summary>
    [Alias("RevokeRefreshToken")]
    Task RevokeRefreshToken(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>RFC 7009 for an access token of the given session: rejects that jti until it expires.</summary>
    [Alias("RevokeAccessToken")]
    Task RevokeAccessToken(string sessionId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Changes the password; every other session ends.</summary>
    [Alias("ChangePassword")]
    Task<bool> ChangePassword(string sessionId, string currentPassword, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>Disables (ending every session) or enables the account; false if there is no account.</summary>
    [Alias("SetDisabled")]
    Task<bool> SetDisabled(bool disabled, CancellationToken cancellationToken = default);
}
