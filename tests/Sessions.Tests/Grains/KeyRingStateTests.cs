using Microsoft.Extensions.Time.Testing;
using Sessions.Grains;
using Sessions.Grains.Keys;

namespace Sessions.Tests.Grains;

public sealed class KeyRingStateTests
{
    private static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly KeyRingState _ring = new();

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Add_SecondKey_DeactivatesThePreviousOne()
    {
        var first = AddKey("k1");
        _time.Advance(TimeSpan.FromMinutes(1));

        var second = AddKey("k2");

        Assert.Equal(Now, first.DeactivatedAt);
        Assert.False(first.IsActive);
        Assert.Same(second, _ring.Active);
        Assert.Equal(2, _ring.Version);
    }

    [Fact]
    public void ToPublicKeySet_AfterRotation_ListsBothKeysWithOnlyTheNewOneActive()
    {
        AddKey("k1");
        AddKey("k2");

        var set = _ring.ToPublicKeySet(Now, AccessTokenLifetime);

        Assert.Equal([("k1", false), ("k2", true)], set.Keys.Select(k => (k.Kid, k.Active)));
        Assert.Equal(2, set.Version);
    }

    [Fact]
    public void Retire_DeactivatedKey_LeavesThePublicKeySetAtOnce()
    {
        AddKey("k1");
        AddKey("k2");

        Assert.True(_ring.Retire("k1"));

        var set = _ring.ToPublicKeySet(Now, AccessTokenLifetime);
        Assert.Equal(["k2"], set.Keys.Select(k => k.Kid));
        Assert.Equal(3, set.Version);
    }

    [Fact]
    public void Retire_UnknownOrAlreadyRetiredKey_ReturnsFalseAndKeepsVersion()
    {
        AddKey("k1");
        AddKey("k2");
        _ring.Retire("k1");

        Assert.False(_ring.Retire("k1"));
        Assert.False(_ring.Retire("nope"));
        Assert.Equal(3, _ring.Version);
    }

    [Fact]
    public void ToPublicKeySet_DeactivatedKeyJustBeforeLifetimePlusSkew_StillListsIt()
    {
        AddKey("k1");
        AddKey("k2");

        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew - TimeSpan.FromTicks(1));

        Assert.Equal(["k1", "k2"], _ring.ToPublicKeySet(Now, AccessTokenLifetime).Keys.Select(k => k.Kid));
    }

    [Fact]
    public void ToPublicKeySet_DeactivatedKeyAtLifetimePlusSkew_DropsIt()
    {
        AddKey("k1");
        AddKey("k2");

        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew);

        Assert.Equal(["k2"], _ring.ToPublicKeySet(Now, AccessTokenLifetime).Keys.Select(k => k.Kid));
    }

    [Fact]
    public void Prune_DeactivatedKeyWithinLifetimePlusSkew_KeepsIt()
    {
        AddKey("k1");
        AddKey("k2");
        _time.Advance(AccessTokenLifetime);

        _ring.Prune(Now, AccessTokenLifetime);

        Assert.Equal(["k1", "k2"], _ring.Keys.Select(k => k.Kid));
    }

    [Fact]
    public void Prune_DeactivatedKeyAfterLifetimePlusSkew_DropsItButNotTheActiveKey()
    {
        AddKey("k1");
        AddKey("k2");
        _time.Advance(AccessTokenLifetime + SessionsTokenOptions.ClockSkew);

        _ring.Prune(Now, AccessTokenLifetime);

        Assert.Equal(["k2"], _ring.Keys.Select(k => k.Kid));
    }

    [Fact]
    public void Prune_RetiredKey_DropsIt()
    {
        AddKey("k1");
        AddKey("k2");
        _ring.Retire("k1");

        _ring.Prune(Now, AccessTokenLifetime);

        Assert.Equal(["k2"], _ring.Keys.Select(k => k.Kid));
    }

    private SigningKeyState AddKey(string kid)
    {
        var key = new SigningKeyState { Kid = kid, X = "x", Y = "y", ProtectedD = "d", CreatedAt = Now };
        _ring.Add(key, Now);
        return key;
    }
}
