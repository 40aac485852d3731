using Sessions.Grains.Users;

namespace Sessions.Tests.Storage;

// UserState as stored before its revocation maps were null while empty: fields 9 and 10 always a map, never null.
// Storage serialises with the declared type, so a payload written from this reads as today's UserState, and back.
[GenerateSerializer, Alias("Sessions.Tests.UserStateBeforeLazyMaps")]
public sealed class UserStateBeforeLazyMaps
{
    [Id(0)] public string? Username { get; set; }
    [Id(1)] public string? PasswordHash { get; set; }
    [Id(2)] public string[] Roles { get; set; } = [];
    [Id(3)] public bool Disabled { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public int FailedLogins { get; set; }
    [Id(6)] public DateTimeOffset? LockedOutUntil { get; set; }
    [Id(7)] public Dictionary<string, SessionState> Sessions { get; set; } = [];
    [Id(8)] public DateTimeOffset? RevokedBefore { get; set; }
    [Id(9)] public Dictionary<string, DateTimeOffset> DeviceRevokedBefore { get; set; } = [];
    [Id(10)] public Dictionary<string, DateTimeOffset> RevokedJtis { get; set; } = [];
}
