using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grains.Users;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>A login storm past the hashing queue's bound is answered 503 with Retry-After, not queued without end.</summary>
public sealed class PasswordHashingBusyTests
{
    [Fact]
    public async Task Login_WhileEveryHashingSlotAndQueuePlaceIsTaken_Returns503WithRetryAfter()
    {
        await using var app = new SessionsApp(null, new Dictionary<string, string?>
        {
            ["Sessions:PasswordHashing:MaxConcurrent"] = "1",
            ["Sessions:PasswordHashing:MaxQueued"] = "0",
        });
        using var client = app.NewClient();
        var (_, username, _) = await client.NewUser();
        var passwords = app.Services.GetRequiredService<PasswordHashing>();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(() => passwords.Gated(() =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return 0;
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));

        using var response = await client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password));
        release.Set();
        await holder;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("2", response.Headers.RetryAfter!.ToString());
        Assert.Equal("Too many password checks are in progress on this service; nothing was changed. Retry shortly.",
            (await SessionsClient.Json(response)).GetProperty("detail").GetString());
    }
}
