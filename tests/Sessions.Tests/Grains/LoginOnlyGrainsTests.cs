using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Storage;
using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

/// <summary>
/// The grains only registration and login need leave memory a few seconds after their last call (Orleans' collection
/// age, two minutes instead of fifteen, is the backstop); a login does not call the skeleton grain at all.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class LoginOnlyGrainsTests(ClusterFixture fixture)
{
    // IdleBeforeDeactivation is 2 s, so deactivation comes 2–4 s after the last call; the rest is a slow machine's margin.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void UsernameGrain_IdleDeactivationPeriod_IsTwoMinutes() =>
        Assert.Equal(TimeSpan.FromMinutes(2), IdlePeriodOf(fixture.Grains.GetGrain<IUsernameGrain>("age-probe").GetGrainId().Type));

    [Fact]
    public void UsernameSkeletonGrain_IdleDeactivationPeriod_IsTwoMinutes() =>
        Assert.Equal(TimeSpan.FromMinutes(2), IdlePeriodOf(fixture.Grains.GetGrain<IUsernameSkeletonGrain>("age-probe").GetGrainId().Type));

    [Fact]
    public void UserGrain_IdleDeactivationPeriod_IsNotShortened() =>
        Assert.Null(IdlePeriodOf(fixture.Grains.GetGrain<IUserGrain>(Ids.New()).GetGrainId().Type));

    [Fact]
    public async Task Login_Answered_UsernameGrainDeactivatesAndTheUserGrainStays()
    {
        var (username, userId) = await Registered();

        var outcome = await fixture.UsernameIndex(username).Login(new LoginRequest(ClusterFixture.Password, null, null, null));

        Assert.Equal(TokenFailure.None, outcome.Failure);
        await WaitUntilInactive(fixture.UsernameIndex(username));
        Assert.True(await IsActive(fixture.Grains.GetGrain<IUserGrain>(userId)));
    }

    [Fact]
    public async Task Register_Answered_SkeletonGrainDeactivates()
    {
        var (username, _) = await Registered();

        await WaitUntilInactive(Skeleton(username));
        await WaitUntilInactive(fixture.UsernameIndex(username));
    }

    [Fact]
    public async Task Login_NameHoldingItsSkeleton_DoesNotActivateTheSkeletonGrain()
    {
        var (username, _) = await Registered();
        await WaitUntilInactive(Skeleton(username));
        await WaitUntilInactive(fixture.UsernameIndex(username));

        var outcome = await fixture.UsernameIndex(username).Login(new LoginRequest(ClusterFixture.Password, null, null, null));

        Assert.Equal(TokenFailure.None, outcome.Failure);
        Assert.False(await IsActive(Skeleton(username)));
    }

    [Fact]
    public async Task Activate_NameStoredWithoutHoldsSkeleton_ClaimsTheSkeletonAndStoresThatItHoldsIt()
    {
        var username = ClusterFixture.NewUsername();
        var key = Username.ToKey(username)!;
        var index = fixture.UsernameIndex(username);
        // As stored before HoldsSkeleton existed (or before skeletons were indexed at all): a user id, nothing else.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);
        await storage.WriteStateAsync("username", index.GetGrainId(), new GrainState<UsernameState>(new UsernameState { UserId = "u-old" }));

        Assert.Equal("u-old", await index.GetUserId());

        Assert.Equal(key, await Skeleton(username).GetHolder());
        await WaitUntilInactive(index);
        var stored = new GrainState<UsernameState>();
        await storage.ReadStateAsync("username", index.GetGrainId(), stored);
        Assert.Equal("u-old", stored.State!.UserId);
        Assert.True(stored.State.HoldsSkeleton);
    }

    [Fact]
    public async Task GetUserId_FiftyConcurrent_AllAnsweredWhileCallsQueue()
    {
        var (username, userId) = await Registered();
        var index = fixture.UsernameIndex(username);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => index.GetUserId()));

        Assert.All(answers, answer => Assert.Equal(userId, answer));
    }

    private async Task<(string Username, string UserId)> Registered()
    {
        var username = ClusterFixture.NewUsername();
        var outcome = await fixture.UsernameIndex(username).Register(username, ClusterFixture.Password, []);
        Assert.True(outcome.Created);
        return (username, outcome.UserId!);
    }

    private IUsernameSkeletonGrain Skeleton(string username) =>
        fixture.Grains.GetGrain<IUsernameSkeletonGrain>(Username.Skeleton(Username.ToKey(username)!));

    private async Task<bool> IsActive(IAddressable grain)
    {
        var id = grain.GetGrainId();
        var active = await fixture.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(id.Type);
        return active.Contains(id);
    }

    private async Task WaitUntilInactive(IAddressable grain)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (await IsActive(grain))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{grain.GetGrainId()} was still active after {Deadline.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private TimeSpan? IdlePeriodOf(GrainType type)
    {
        var resolver = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<GrainPropertiesResolver>();
        var properties = resolver.GetGrainProperties(type).Properties;
        return properties.TryGetValue(WellKnownGrainTypeProperties.IdleDeactivationPeriod, out var value)
            ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
            : null;
    }
}
