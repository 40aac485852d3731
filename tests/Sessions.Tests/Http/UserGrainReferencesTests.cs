using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.Auth;
using Sessions.Grains;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>The per-request check's references, built from types resolved once, address the same grains GetGrain does.</summary>
[Collection(AppCollection.Name)]
public sealed class UserGrainReferencesTests(SessionsApp app)
{
    [Fact]
    public void Get_TwoUsers_EachAddressesTheGrainGetGrainWould()
    {
        var references = app.Services.GetRequiredService<UserGrainReferences>();
        const string first = "0123456789abcdef0123456789abcdef";
        const string second = "fedcba9876543210fedcba9876543210";

        Assert.Equal(app.Grains.GetGrain<IUserGrain>(first).GetGrainId(), references.Get(first).GetGrainId());
        Assert.Equal(app.Grains.GetGrain<IUserGrain>(second).GetGrainId(), references.Get(second).GetGrainId());
    }

    [Fact]
    public async Task Get_ExistingUser_AnswersForThatUser()
    {
        using var client = app.NewClient();
        var (userId, username, _) = await client.NewUser();

        var account = await app.Services.GetRequiredService<UserGrainReferences>().Get(userId).GetAccount();

        Assert.Equal(username, account!.Username);
    }
}
