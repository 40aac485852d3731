using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sessions.Grains;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Hosting;

/// <summary>
/// The single-process silo owns every grain directory entry itself, so it keeps no directory cache (a second copy of
/// each address, kept after the grain deactivates); its grains are found in its own partition.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SingleProcessDirectoryTests(SessionsApp app)
{
    [Fact]
    public void DirectoryCache_SingleProcess_IsOff() =>
        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.None,
            app.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CachingStrategy);

    [Fact]
    public async Task GrainCalls_WithoutTheCache_ReachTheSameActivation()
    {
        var userId = Ids.New();
        var grain = app.Grains.GetGrain<IUserGrain>(userId);
        Assert.True(await grain.Create(new NewAccount($"dir-{userId[..8]}", "a-long-password", [])));

        // A second reference resolves through the directory partition to the activation that holds the new account.
        var again = await app.Grains.GetGrain<IUserGrain>(userId).GetAccount();

        Assert.Equal(userId, again?.UserId);
    }
}
