namespace Sessions.Tests.Storage;

// SessionState as stored before its spent refresh-token hashes were packed into one array (field 7 a list of arrays,
// no field 10). Storage serialises with the declared type, so a payload written from this reads as today's SessionState.
[GenerateSerializer, Alias("Sessions.Tests.SessionStateBeforePacking")]
public sealed class SessionStateBeforePacking
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string DeviceId { get; init; }
    [Id(2)] public string? DeviceName { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset LastSeenAt { get; set; }
    [Id(5)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(6)] public byte[] RefreshTokenHash { get; set; } = [];
    [Id(7)] public List<byte[]>? SpentRefreshTokenHashes { get; set; }
    [Id(8)] public DateTimeOffset? RotatedAt { get; set; }
    [Id(9)] public bool SuccessorSeen { get; set; }
}
