using Sessions.Grains;

namespace Sessions.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class KeyRingGrainTests(ClusterFixture fixture)
{
    // The service signs with ring 0; each test gets its own ring so rotating and retiring cannot disturb the others.
    private readonly IKeyRingGrain _ring = fixture.Grains.GetGrain<IKeyRingGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    [Fact]
    public async Task GetPublicKeys_NewRing_ListsOnlyTheActiveKey()
    {
        var active = await _ring.GetActiveKey();

        var keys = await _ring.GetPublicKeys();

        var key = Assert.Single(keys.Keys);
        Assert.Equal(active.Kid, key.Kid);
        Assert.True(key.Active);
    }

    [Fact]
    public async Task Rotate_Always_ChangesTheActiveKidAndKeepsTheOldPublicKey()
    {
        var old = await _ring.GetActiveKey();
        var before = await _ring.GetPublicKeys();

        var kid = await _ring.Rotate();

        Assert.NotEqual(old.Kid, kid);
        Assert.Equal(kid, (await _ring.GetActiveKey()).Kid);
        var after = await _ring.GetPublicKeys();
        Assert.Equal([(old.Kid, false), (kid, true)], after.Keys.Select(k => (k.Kid, k.Active)));
        Assert.True(after.Version > before.Version);
    }

    [Fact]
    public async Task Rotate_OldKeyPastLifetimePlusSkew_LeavesThePublicKeys()
    {
        await _ring.Rotate();
        var kid = (await _ring.GetActiveKey()).Kid;

        fixture.Time.Advance(ClusterFixture.AccessTokenLifetime + SessionsTokenOptions.ClockSkew);

        Assert.Equal([kid], (await _ring.GetPublicKeys()).Keys.Select(k => k.Kid));
    }

    [Fact]
    public async Task Retire_DeactivatedKey_RemovesItFromThePublicKeysAtOnce()
    {
        var old = (await _ring.GetActiveKey()).Kid;
        var kid = await _ring.Rotate();

        Assert.True(await _ring.Retire(old));

        Assert.Equal([kid], (await _ring.GetPublicKeys()).Keys.Select(k => k.Kid));
        Assert.Equal(kid, (await _ring.GetActiveKey()).Kid);
    }

    [Fact]
    public async Task Retire_ActiveKey_RotatesFirst()
    {
        var old = (await _ring.GetActiveKey()).Kid;

        Assert.True(await _ring.Retire(old));

        var active = await _ring.GetActiveKey();
        Assert.NotEqual(old, active.Kid);
        Assert.Equal([(active.Kid, true)], (await _ring.GetPublicKeys()).Keys.Select(k => (k.Kid, k.Active)));
    }

    [Fact]
    public async Task Retire_UnknownKid_ReturnsFalseAndChangesNothing()
    {
        var before = await _ring.GetPublicKeys();

        Assert.False(await _ring.Retire("no-such-kid"));

        var after = await _ring.GetPublicKeys();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Keys, after.Keys);
    }

    [Fact]
    public async Task Retire_AlreadyRetiredKid_ReturnsFalse()
    {
        var old = (await _ring.GetActiveKey()).Kid;
        await _ring.Retire(old);

        Assert.False(await _ring.Retire(old));
    }

    [Fact]
    public async Task Rotate_WithSubscriber_TellsItTheNewKeysBeforeReturning()
    {
        var observer = new RecordingObserver();
        var reference = fixture.Cluster.Client.CreateObjectReference<IKeyRingObserver>(observer);
        try
        {
            var initial = await _ring.Subscribe(reference);

            var kid = await _ring.Rotate();

            var pushed = Assert.Single(observer.Received);
            Assert.True(pushed.Version > initial.Version);
            Assert.Equal(kid, Assert.Single(pushed.Keys, k => k.Active).Kid);
        }
        finally
        {
            fixture.Cluster.Client.DeleteObjectReference<IKeyRingObserver>(reference);
        }
    }

    [Fact]
    public async Task Deactivate_Ring_KeepsItsKeys()
    {
        var old = (await _ring.GetActiveKey()).Kid;
        var kid = await _ring.Rotate();

        await fixture.Deactivate(_ring);

        Assert.Equal(kid, (await _ring.GetActiveKey()).Kid);
        Assert.Equal([old, kid], (await _ring.GetPublicKeys()).Keys.Select(k => k.Kid));
    }

    private sealed class RecordingObserver : IKeyRingObserver
    {
        public List<PublicKeySet> Received { get; } = [];

        public Task KeysChanged(PublicKeySet keys)
        {
            lock (Received)
                Received.Add(keys);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task GetRefreshSecretKey_AfterReactivation_IsTheKeyStoredWithTheRing()
    {
        var first = await _ring.GetRefreshSecretKey();

        await fixture.Deactivate(_ring);

        Assert.Equal(first, await _ring.GetRefreshSecretKey());
    }
}
