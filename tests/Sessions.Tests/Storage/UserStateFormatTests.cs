using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains.Users;

namespace Sessions.Tests.Storage;

/// <summary>
/// The revocation maps are null in memory while empty, and stored as before: a map, empty when there is none. A state
/// stored by the previous build loads, and one stored now loads in the previous build's layout.
/// </summary>
public sealed class UserStateFormatTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private IGrainStorageSerializer Serializer => new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>());

    [Fact]
    public void Load_OldFormatWithEmptyMaps_KeepsNoMapOfItsOwn()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new() { Username = "alice", PasswordHash = "hash" });

        Assert.Equal("alice", user.Username);
        Assert.Empty(user.RevokedJtis);
        Assert.Empty(user.DeviceRevokedBefore);
        // A user with no revocation holds the one shared empty view, not an empty map of 80 bytes each.
        Assert.Same(new UserState().RevokedJtis, user.RevokedJtis);
        Assert.Same(new UserState().DeviceRevokedBefore, user.DeviceRevokedBefore);
    }

    private const string Phc = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

    [Fact]
    public void Load_OldFormat_KeepsThePasswordHashExactly()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new() { Username = "alice", PasswordHash = Phc });

        Assert.Equal(Phc, user.PasswordHash);
        Assert.True(user.Exists);
    }

    [Fact]
    public void Write_PasswordHash_LoadsInTheOldLayoutExactly()
    {
        var old = Convert<UserState, UserStateBeforeLazyMaps>(new UserState { Username = "alice", PasswordHash = Phc });

        Assert.Equal(Phc, old.PasswordHash);
    }

    [Fact]
    public void Load_NoPasswordHash_DoesNotExist()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new() { Username = "alice" });

        Assert.Null(user.PasswordHash);
        Assert.False(user.Exists);
    }

    [Fact]
    public void Load_InstantsStoredWithAnOffset_AreTheSameInstantsInUtc()
    {
        var cet = TimeSpan.FromHours(1);
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new()
        {
            Username = "alice",
            CreatedAt = new DateTimeOffset(2026, 12, 2, 13, 0, 0, cet),
            LockedOutUntil = new DateTimeOffset(2026, 12, 2, 13, 15, 0, cet),
            RevokedBefore = new DateTimeOffset(2026, 12, 2, 12, 30, 0, cet),
        });

        Assert.Equal((Now, TimeSpan.Zero), (user.CreatedAt, user.CreatedAt.Offset));
        Assert.Equal(Now.AddMinutes(15), user.LockedOutUntil);
        Assert.Equal(Now.AddMinutes(-30), user.RevokedBefore);
    }

    [Fact]
    public void WriteThenLoad_NoLockoutNoRevokeAll_StayNone()
    {
        var old = Convert<UserState, UserStateBeforeLazyMaps>(new UserState { Username = "alice", CreatedAt = Now });

        Assert.Equal(Now, old.CreatedAt);
        Assert.Null(old.LockedOutUntil);
        Assert.Null(old.RevokedBefore);
    }

    [Fact]
    public void Load_NoRoles_IsTheSharedEmptyArray()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new() { Username = "alice", PasswordHash = "hash", Roles = new string[0] });

        Assert.Same(Array.Empty<string>(), user.Roles);
    }

    [Fact]
    public void Load_Roles_KeepsThem()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new() { Username = "alice", PasswordHash = "hash", Roles = ["admin"] });

        Assert.Equal(["admin"], user.Roles);
    }

    [Fact]
    public void Load_OldFormatWithEntries_KeepsThem()
    {
        var old = new UserStateBeforeLazyMaps
        {
            Username = "alice",
            PasswordHash = "hash",
            RevokedJtis = { ["jti-1"] = Now.AddMinutes(5) },
            DeviceRevokedBefore = { ["phone"] = Now.AddMinutes(-1) },
        };

        var user = Convert<UserStateBeforeLazyMaps, UserState>(old);

        Assert.Equal(Now.AddMinutes(5), Assert.Single(user.RevokedJtis, e => e.Key == "jti-1").Value);
        Assert.Equal(Now.AddMinutes(-1), Assert.Single(user.DeviceRevokedBefore, e => e.Key == "phone").Value);
    }

    [Fact]
    public void Write_NoRevocations_LoadsInTheOldLayoutAsEmptyMaps()
    {
        var old = Convert<UserState, UserStateBeforeLazyMaps>(new UserState { Username = "alice", PasswordHash = "hash" });

        Assert.Equal("alice", old.Username);
        Assert.NotNull(old.RevokedJtis);
        Assert.Empty(old.RevokedJtis);
        Assert.NotNull(old.DeviceRevokedBefore);
        Assert.Empty(old.DeviceRevokedBefore);
    }

    [Fact]
    public void Write_WithRevocations_LoadsInTheOldLayoutWithThem()
    {
        var user = new UserState { Username = "alice", PasswordHash = "hash" };
        user.RevokeJti("jti-1", Now.AddMinutes(5));
        user.RevokeDevice("phone", Now, TimeSpan.FromMinutes(30));

        var old = Convert<UserState, UserStateBeforeLazyMaps>(user);

        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["jti-1"] = Now.AddMinutes(5) }, old.RevokedJtis);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["phone"] = Now }, old.DeviceRevokedBefore);
    }

    [Fact]
    public void WriteThenLoad_WithRevocations_RoundTrips()
    {
        var user = new UserState { Username = "alice", PasswordHash = "hash" };
        user.RevokeJti("jti-1", Now.AddMinutes(5));
        user.RevokeDevice("phone", Now, TimeSpan.FromMinutes(30));

        var again = Convert<UserState, UserState>(user);

        Assert.Equal(Now.AddMinutes(5), Assert.Single(again.RevokedJtis).Value);
        Assert.Equal(Now, Assert.Single(again.DeviceRevokedBefore).Value);
    }

    [Fact]
    public void DeepCopy_WithRevocations_CopiesThemApart()
    {
        var user = new UserState { Username = "alice", PasswordHash = "hash" };
        user.RevokeJti("jti-1", Now.AddMinutes(5));

        var copy = _services.GetRequiredService<DeepCopier>().Copy(user);
        user.RevokeJti("jti-2", Now.AddMinutes(6));
        user.RevokeDevice("phone", Now, TimeSpan.FromMinutes(30));

        Assert.Equal(["jti-1"], copy.RevokedJtis.Keys);
        Assert.Empty(copy.DeviceRevokedBefore);
    }

    private static SessionState Session(string id) =>
        new() { SessionId = id, DeviceId = "device-" + id, CreatedAt = Now, LastSeenAt = Now, ExpiresAt = Now.AddDays(1) };

    [Fact]
    public void Load_OldFormatWithOneSession_HoldsItWithoutAMap()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new() { Username = "alice", PasswordHash = "hash", Sessions = { ["s1"] = Session("s1") } });

        Assert.False(user.Sessions.HoldsMap);
        Assert.Equal("device-s1", user.Sessions["s1"].DeviceId);
    }

    [Fact]
    public void Load_OldFormatWithTwoSessions_KeepsBoth()
    {
        var user = Convert<UserStateBeforeLazyMaps, UserState>(new()
        {
            Username = "alice",
            PasswordHash = "hash",
            Sessions = { ["s1"] = Session("s1"), ["s2"] = Session("s2") },
        });

        Assert.True(user.Sessions.HoldsMap);
        Assert.Equal(["s1", "s2"], user.Sessions.Keys.Order());
    }

    [Fact]
    public void Write_OneSessionOrNone_LoadsInTheOldLayoutAsAMap()
    {
        var one = new UserState { Username = "alice", PasswordHash = "hash" };
        one.StartSession(Session("s1"), maxSessions: 10, Now, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5));

        var stored = Convert<UserState, UserStateBeforeLazyMaps>(one);
        var none = Convert<UserState, UserStateBeforeLazyMaps>(new UserState { Username = "bob", PasswordHash = "hash" });

        Assert.Equal(["s1"], stored.Sessions.Keys);
        Assert.Equal("device-s1", stored.Sessions["s1"].DeviceId);
        Assert.NotNull(none.Sessions);
        Assert.Empty(none.Sessions);
    }

    [Fact]
    public void DeepCopy_OneSession_CopiesItApart()
    {
        var user = new UserState { Username = "alice", PasswordHash = "hash" };
        user.StartSession(Session("s1"), maxSessions: 10, Now, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5));

        var copy = _services.GetRequiredService<DeepCopier>().Copy(user);
        user.StartSession(Session("s2"), maxSessions: 10, Now, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5));
        user.EndSession("s1");

        Assert.Equal(["s1"], copy.Sessions.Keys);
        Assert.NotSame(user.Sessions.GetValueOrDefault("s1"), copy.Sessions["s1"]);
        Assert.Equal(["s2"], user.Sessions.Keys);
    }

    private TOut Convert<TIn, TOut>(TIn value) => Serializer.Deserialize<TOut>(Serializer.Serialize(value))!;

    public void Dispose() => _services.Dispose();
}
