using Microsoft.Extensions.Logging;

namespace Sessions.Grains.Telemetry;

/// <summary>
/// One event with a stable id per security event, under the <see cref="SessionsTelemetry.AuditCategory"/> category.
/// Each names the user, session and device where they mean something, the client address, and for actions of
/// another user (an admin) the actor. Nothing secret is a parameter here: no token, refresh secret or password.
/// </summary>
internal sealed partial class AuditLog(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(SessionsTelemetry.AuditCategory);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Account {UserId} created from {ClientIp}")]
    public partial void AccountCreated(string userId, string? clientIp);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Login of {UserId}: session {SessionId} on device {DeviceId} from {ClientIp}")]
    public partial void LoginSucceeded(string userId, string sessionId, string deviceId, string? clientIp);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Login of {UserId} refused ({Reason}) from {ClientIp}")]
    public partial void LoginFailed(string? userId, string reason, string? clientIp);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Account {UserId} locked out until {Until} after wrong passwords from {ClientIp}")]
    public partial void LockedOut(string userId, DateTimeOffset until, string? clientIp);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "Spent refresh token of session {SessionId} of {UserId} (device {DeviceId}) presented again from {ClientIp}: session ended as stolen")]
    public partial void RefreshTokenReused(string userId, string sessionId, string deviceId, string? clientIp);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information,
        Message = "Session {SessionId} of {UserId} on device {DeviceId} ended by the service ({Reason}) at a login from {ClientIp}")]
    public partial void SessionEndedByService(string userId, string sessionId, string deviceId, string reason, string? clientIp);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Device {DeviceId} of {UserId} revoked by {Actor} from {ClientIp}")]
    public partial void DeviceRevoked(string userId, string deviceId, string? actor, string? clientIp);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Logout of {UserId} from session {SessionId} on device {DeviceId} from {ClientIp}")]
    public partial void LoggedOut(string userId, string sessionId, string? deviceId, string? clientIp);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Every session and token of {UserId} revoked by {Actor} from {ClientIp}")]
    public partial void UserRevoked(string userId, string? actor, string? clientIp);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "Access token {Jti} of {UserId} (session {SessionId}, device {DeviceId}) revoked from {ClientIp}")]
    public partial void AccessTokenRevoked(string userId, string sessionId, string? deviceId, string jti, string? clientIp);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning,
        Message = "Password of {UserId} changed from session {SessionId} on device {DeviceId} from {ClientIp}; {EndedSessions} other sessions ended")]
    public partial void PasswordChanged(string userId, string sessionId, string? deviceId, int endedSessions, string? clientIp);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Account {UserId} disabled by {Actor} from {ClientIp}")]
    public partial void AccountDisabled(string userId, string? actor, string? clientIp);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Account {UserId} enabled by {Actor} from {ClientIp}")]
    public partial void AccountEnabled(string userId, string? actor, string? clientIp);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information,
        Message = "Logout of {UserId} from every session but {SessionId} on device {DeviceId} from {ClientIp}; {EndedSessions} sessions ended")]
    public partial void LoggedOutOthers(string userId, string sessionId, string? deviceId, int endedSessions, string? clientIp);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning,
        Message = "Global logout of {UserId} from session {SessionId} on device {DeviceId} from {ClientIp}; {EndedSessions} sessions ended, every token revoked")]
    public partial void LoggedOutGlobally(string userId, string sessionId, string? deviceId, int endedSessions, string? clientIp);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Session {SessionId} of {UserId} on device {DeviceId} ended by its user from {ClientIp}")]
    public partial void SessionEndedByUser(string userId, string sessionId, string deviceId, string? clientIp);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Session {SessionId} of {UserId} on device {DeviceId} revoked by {Actor} from {ClientIp}")]
    public partial void SessionRevoked(string userId, string sessionId, string deviceId, string? actor, string? clientIp);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Information,
        Message = "Refresh token of session {SessionId} of {UserId} on device {DeviceId} revoked from {ClientIp}; session ended")]
    public partial void RefreshTokenRevoked(string userId, string sessionId, string deviceId, string? clientIp);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Bootstrap admin {UserId} created from configuration")]
    public partial void BootstrapAdminCreated(string userId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Signing key {Kid} created for a new key ring")]
    public partial void SigningKeyCreated(string kid);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Signing key {Kid} retired by {Actor} from {ClientIp}; signing now with {ActiveKid}")]
    public partial void SigningKeyRetired(string kid, string activeKid, string? actor, string? clientIp);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Signing keys rotated by {Actor} from {ClientIp}; signing now with {Kid}")]
    public partial void SigningKeysRotated(string kid, string? actor, string? clientIp);
}
