using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class SessionMapTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static SessionState Session(string id, string device = "phone") =>
        new() { SessionId = id, DeviceId = device, CreatedAt = Now, LastSeenAt = Now, ExpiresAt = Now.AddDays(1) };

    [Fact]
    public void Put_OneSession_HoldsItWithoutAMap()
    {
        var map = new SessionMap();
        var only = Session("s1");

        map.Put(only);

        Assert.False(map.HoldsMap);
        Assert.Equal(1, map.Count);
        Assert.Same(only, map["s1"]);
        Assert.Null(map.GetValueOrDefault("s2"));
        Assert.Equal(["s1"], map.Keys);
    }

    [Fact]
    public void Put_SameIdAgain_ReplacesIt()
    {
        var map = new SessionMap();
        map.Put(Session("s1", "phone"));
        var again = Session("s1", "laptop");

        map.Put(again);

        Assert.False(map.HoldsMap);
        Assert.Same(again, Assert.Single(map.Values));
    }

    [Fact]
    public void Put_SecondSession_KeepsBoth()
    {
        var map = new SessionMap();
        map.Put(Session("s1"));

        map.Put(Session("s2"));

        Assert.True(map.HoldsMap);
        Assert.Equal(["s1", "s2"], map.Keys.Order());
    }

    [Fact]
    public void Remove_DownToOne_DropsTheMap()
    {
        var map = new SessionMap();
        map.Put(Session("s1"));
        var kept = Session("s2");
        map.Put(kept);

        Assert.True(map.Remove("s1"));

        Assert.False(map.HoldsMap);
        Assert.Same(kept, map["s2"]);
        Assert.False(map.TryGetValue("s1", out _));
    }

    [Fact]
    public void Remove_TheOnlySession_LeavesNone()
    {
        var map = new SessionMap();
        map.Put(Session("s1"));

        Assert.False(map.Remove("s2"));
        Assert.True(map.Remove("s1"));

        Assert.Equal(0, map.Count);
        Assert.Empty(map.Values);
        Assert.Throws<KeyNotFoundException>(() => map["s1"]);
    }

    [Fact]
    public void From_StoredMapOfOne_HoldsTheSessionWithoutTheMap()
    {
        var map = SessionMap.From(new() { ["s1"] = Session("s1") });

        Assert.False(map.HoldsMap);
        Assert.Equal(["s1"], map.Keys);
        Assert.Equal(["s1"], map.ToDictionary().Keys);
    }

    [Fact]
    public void From_NoStoredMap_IsEmptyAndStoresAnEmptyMap()
    {
        Assert.Equal(0, SessionMap.From(null).Count);
        Assert.Empty(SessionMap.From([]).ToDictionary());
    }
}
