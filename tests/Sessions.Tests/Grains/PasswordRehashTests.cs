using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

/// <summary>An account whose stored hash is the old PBKDF2 format moves to Argon2id at its owner's next login.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PasswordRehashTests(ClusterFixture fixture)
{
    // ASP.NET Core Identity v3 of "correct horse battery" (PBKDF2-HMAC-SHA512, 100,000 iterations), built with Python's hashlib.
    private const string LegacyPbkdf2 = "AQAAAAIAAYagAAAAEGxlZ2FjeS1zYWx0LTAwMTbL1zZ51uy5iyXuWO8RRbNag5Mj85pnkmZM3KjjpQ1ILw==";

    private IGrainStorage Storage => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);

    private async Task<string> StoredHash(IUserGrain user)
    {
        var state = new GrainState<UserState>();
        await Storage.ReadStateAsync("user", user.GetGrainId(), state);
        return state.State!.PasswordHash!;
    }

    private async Task PlantHash(IUserGrain user, string hash)
    {
        await fixture.Deactivate(user);
        var state = new GrainState<UserState>();
        await Storage.ReadStateAsync("user", user.GetGrainId(), state);
        state.State!.PasswordHash = hash;
        await Storage.WriteStateAsync("user", user.GetGrainId(), state);
    }

    [Fact]
    public async Task Login_WithALegacyPbkdf2Hash_SucceedsAndStoresArgon2id()
    {
        var user = await fixture.NewUser();
        await PlantHash(user, LegacyPbkdf2);

        await ClusterFixture.Login(user);

        await fixture.Deactivate(user);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", await StoredHash(user));
    }

    [Fact]
    public async Task Login_WrongPasswordOnALegacyHash_KeepsTheLegacyHash()
    {
        var user = await fixture.NewUser();
        await PlantHash(user, LegacyPbkdf2);

        var outcome = await user.Login(new LoginRequest("wrong horse battery", null, null, null));

        Assert.Equal(TokenFailure.InvalidCredentials, outcome.Failure);
        await fixture.Deactivate(user);
        Assert.Equal(LegacyPbkdf2, await StoredHash(user));
    }

    [Fact]
    public async Task Register_NewAccount_StoresArgon2idAtOwaspCost()
    {
        var user = await fixture.NewUser();

        await fixture.Deactivate(user);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", await StoredHash(user));
    }
}
