using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>Stops the single-process service and starts it again on the same data folder.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Restart_OnTheSameDataFolder_KeepsSessionsRevocationsDisabledAccountsAndKeys()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sessions-tests", Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string liveUser, revokedUser, disabledUser;
        Tokens live, revoked, revokedAccess, disabled;
        List<string> kidsBefore;
        await using (var first = new SessionsApp(dataDirectory, null, time))
        {
            using var client = first.NewClient();
            var admin = await client.AdminLogin();
            (_, liveUser, live) = await client.NewUser();
            (var revokedId, revokedUser, revoked) = await client.NewUser();
            (var disabledId, disabledUser, disabled) = await client.NewUser();
            revokedAccess = await client.Login(liveUser, deviceId: "second");
            Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{revokedId}/revoke", admin.AccessToken)));
            Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{disabledId}/disable", admin.AccessToken)));
            Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Http.PostAsync("/oauth/revoke",
                new FormUrlEncodedContent([KeyValuePair.Create("token", revokedAccess.AccessToken)]))));
            Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Post("/admin/signing-keys/rotate", admin.AccessToken)));
            kidsBefore = await Kids(client);
        }

        await using var second = new SessionsApp(dataDirectory, null, time);
        using var again = second.NewClient();

        Assert.Equal(HttpStatusCode.OK, await again.StatusOf(again.Get("/me", live.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await again.StatusOf(again.Refresh(live.RefreshToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await again.StatusOf(again.Get("/me", revoked.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await again.StatusOf(again.Refresh(revoked.RefreshToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await again.StatusOf(again.Get("/me", revokedAccess.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await again.StatusOf(again.Get("/me", disabled.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await again.StatusOf(again.PostToken(("grant_type", "password"), ("username", disabledUser), ("password", SessionsClient.Password))));
        Assert.Equal(kidsBefore, await Kids(again));
        await again.Login(revokedUser);
    }

    private static async Task<List<string>> Kids(SessionsClient client)
    {
        using var response = await client.Get("/.well-known/jwks.json", accessToken: null);
        return [.. (await SessionsClient.Json(response)).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order()];
    }
}
