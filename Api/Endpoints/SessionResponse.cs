using Sessions.Grains;

namespace Sessions.Api.Endpoints;

/// <summary>A live session as <c>GET /admin/users/{userId}/sessions</c> shows it; <see cref="MySessionResponse"/> adds one field.</summary>
public record SessionResponse
{
    public required string SessionId { get; init; }

    public required string DeviceId { get; init; }

    public required string? DeviceName { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastSeenAt { get; init; }

    public required DateTimeOffset IdleExpiresAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public static SessionResponse Of(SessionInfo session) => new()
    {
        SessionId = session.SessionId,
        DeviceId = session.DeviceId,
        DeviceName = session.DeviceName,
        CreatedAt = session.CreatedAt,
        LastSeenAt = session.LastSeenAt,
        IdleExpiresAt = session.IdleExpiresAt,
        ExpiresAt = session.ExpiresAt,
    };
}
