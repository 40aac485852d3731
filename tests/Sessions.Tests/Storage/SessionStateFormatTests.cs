using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains.Users;

namespace Sessions.Tests.Storage;

/// <summary>A session stored with its spent hashes as a list loads into the packed array and means the same.</summary>
public sealed class SessionStateFormatTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private IGrainStorageSerializer Serializer => new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>());

    [Fact]
    public void Load_ListFormat_KeepsEveryFieldAndTheSpentHashesInOrder()
    {
        var old = OldSession([Hash(1), Hash(2), Hash(3)]);

        var session = Load(old);

        Assert.Equal(("s1", "d1", "phone"), (session.SessionId, session.DeviceId, session.DeviceName));
        Assert.Equal(Now, session.CreatedAt);
        Assert.Equal(Now.AddMinutes(3), session.LastSeenAt);
        Assert.Equal(Now.AddDays(1), session.ExpiresAt);
        Assert.Equal(Hash(4), session.RefreshTokenHash);
        Assert.Equal(Now.AddMinutes(2), session.RotatedAt);
        Assert.True(session.SuccessorSeen);
        Assert.Equal([.. Hash(1), .. Hash(2), .. Hash(3)], session.SpentHashes!);
        Assert.Null(session.SpentRefreshTokenHashes);
    }

    [Fact]
    public void Load_ListFormat_SpentHashesAreSpentAndTheLatestIsLastSpent()
    {
        var session = Load(OldSession([Hash(1), Hash(2), Hash(3)]));

        Assert.True(session.IsSpent(Hash(1)));
        Assert.True(session.IsSpent(Hash(3)));
        Assert.False(session.IsSpent(Hash(4)));
        Assert.Equal(Hash(3), session.LastSpent);
    }

    [Fact]
    public void Load_ListFormatWithAFullHistory_RotationDropsTheOldest()
    {
        var session = Load(OldSession([Hash(1), Hash(2), Hash(3), Hash(4), Hash(5), Hash(6), Hash(7), Hash(8)], current: Hash(9)));

        session.Rotate(Hash(10), Now.AddMinutes(5));

        Assert.False(session.IsSpent(Hash(1)));
        Assert.True(session.IsSpent(Hash(2)));
        Assert.True(session.IsSpent(Hash(9)));
        Assert.Equal(Hash(9), session.LastSpent);
        Assert.Equal(8 * 32, session.SpentHashes!.Length);
    }

    [Fact]
    public void Load_ListFormatNeverRotated_HasNoHistory()
    {
        var session = Load(OldSession(null));

        Assert.Null(session.SpentHashes);
        Assert.Null(session.LastSpent);
        Assert.False(session.IsSpent(Hash(4)));
    }

    [Fact]
    public void Load_ListFormatWithAnEntryThatIsNoSha256_LeavesItOut()
    {
        var session = Load(OldSession([Hash(1), [2, 2], Hash(3)]));

        Assert.Equal([.. Hash(1), .. Hash(3)], session.SpentHashes!);
    }

    [Fact]
    public void WriteThenLoad_PackedFormat_RoundTrips()
    {
        var session = Load(OldSession([Hash(1), Hash(2)]));

        var again = Serializer.Deserialize<SessionState>(Serializer.Serialize(session))!;

        Assert.Equal([.. Hash(1), .. Hash(2)], again.SpentHashes!);
        Assert.Equal(Hash(4), again.RefreshTokenHash);
        Assert.Equal(Now.AddMinutes(2), again.RotatedAt);
    }

    [Fact]
    public void DeepCopy_PackedFormat_CopiesTheHistory()
    {
        var session = Load(OldSession([Hash(1), Hash(2)]));

        var copy = _services.GetRequiredService<DeepCopier>().Copy(session)!;
        session.Rotate(Hash(5), Now.AddMinutes(6));

        Assert.Equal([.. Hash(1), .. Hash(2)], copy.SpentHashes!);
        Assert.Equal(Hash(4), copy.RefreshTokenHash);
    }

    [Fact]
    public void WriteThenLoad_NeverRotated_HasNoRotationInstant()
    {
        var again = Serializer.Deserialize<SessionState>(Serializer.Serialize(Load(OldSession(null))))!;

        Assert.Null(again.RotatedAt);
        Assert.Equal(Now.AddMinutes(3), again.LastSeenAt);
    }

    [Fact]
    public void Load_TwoSessionsOfOneDeviceName_HoldOneInstanceOfIt()
    {
        var first = Load(OldSession(null, deviceName: new string("Format test browser".AsSpan())));

        var second = Load(OldSession(null, deviceName: new string("Format test browser".AsSpan())));

        Assert.Same(first.DeviceName, second.DeviceName);
    }

    private SessionState Load(SessionStateBeforePacking old) =>
        Serializer.Deserialize<SessionState>(Serializer.Serialize(old))!;

    private static SessionStateBeforePacking OldSession(List<byte[]>? spent, byte[]? current = null, string deviceName = "phone") => new()
    {
        SessionId = "s1",
        DeviceId = "d1",
        DeviceName = deviceName,
        CreatedAt = Now,
        LastSeenAt = Now.AddMinutes(3),
        ExpiresAt = Now.AddDays(1),
        RefreshTokenHash = current ?? Hash(4),
        SpentRefreshTokenHashes = spent,
        RotatedAt = spent is null ? null : Now.AddMinutes(2),
        SuccessorSeen = spent is not null,
    };

    private static byte[] Hash(int n) => [.. Enumerable.Repeat((byte)n, 32)];

    public void Dispose() => _services.Dispose();
}
