using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>The stored key ring as API hosts read it when the key-ring grain cannot answer.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class KeyRingReaderGrainTests(ClusterFixture fixture)
{
    private readonly long _key = Random.Shared.NextInt64(1, long.MaxValue);

    private IKeyRingGrain Ring => fixture.Grains.GetGrain<IKeyRingGrain>(_key);

    private IKeyRingReaderGrain Reader => fixture.Grains.GetGrain<IKeyRingReaderGrain>(_key);

    [Fact]
    public async Task ReadPublicKeys_AfterRotate_ListsWhatTheRingStored()
    {
        var old = (await Ring.GetActiveKey()).Kid;
        var kid = await Ring.Rotate();

        var read = await Reader.ReadPublicKeys();

        Assert.Equal([(old, false), (kid, true)], read.Keys.Select(k => (k.Kid, k.Active)));
        Assert.Equal((await Ring.GetPublicKeys()).Version, read.Version);
    }

    [Fact]
    public async Task ReadPublicKeys_AfterRetire_NoLongerListsTheRetiredKey()
    {
        var old = (await Ring.GetActiveKey()).Kid;
        var kid = await Ring.Rotate();

        Assert.True(await Ring.Retire(old));

        var read = await Reader.ReadPublicKeys();
        Assert.Equal([kid], read.Keys.Select(k => k.Kid));
    }

    [Fact]
    public async Task ReadPublicKeys_RingNeverStored_FailsAsStorageUnavailable()
    {
        var unused = fixture.Grains.GetGrain<IKeyRingReaderGrain>(Random.Shared.NextInt64(1, long.MaxValue));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => unused.ReadPublicKeys());
    }
}
