using System.Net;
using System.Net.Http.Headers;
using Orleans.Runtime;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Security;

namespace Sessions.Tests.Doors;

/// <summary>Sessions.AspNetCore in another team's API: the same decision as GET /me, on every request.</summary>
[Collection(OrdersSampleCollection.Name)]
public sealed class OrdersSampleTests(OrdersSample sample)
{
    [Fact]
    public async Task Orders_LiveTokenUnderFallbackPolicy_AnswersForTheCaller()
    {
        using var sessions = sample.Sessions.NewClient();
        var (userId, username, tokens) = await sessions.NewUser();
        using var orders = Orders(tokens.AccessToken);

        using var response = await orders.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SessionsClient.Json(response);
        Assert.Equal(userId, body.GetProperty("ownerId").GetString());
        Assert.Equal(username, body.GetProperty("ownerName").GetString());
    }

    [Fact]
    public async Task Orders_NoTokenUnderFallbackPolicy_Returns401WithBareChallenge()
    {
        using var orders = Orders(accessToken: null);

        using var response = await orders.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Orders_AfterLogoutUnderFallbackPolicy_Returns401OnTheVeryNextRequest()
    {
        using var sessions = sample.Sessions.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var orders = Orders(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await orders.GetAsync("/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, await sessions.StatusOf(sessions.Post("/auth/logout", tokens.AccessToken)));

        using var response = await orders.GetAsync("/orders");

        await Hostile.AssertInvalidToken(response, "The session has ended.");
    }

    [Fact]
    public async Task AllowAnonymousEndpoint_UnderFallbackPolicy_AnswersWithoutToken()
    {
        using var orders = Orders(accessToken: null);

        using var response = await orders.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Report_NonAdmin_Returns403()
    {
        using var sessions = sample.Sessions.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var orders = Orders(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync("/orders/report")).StatusCode);
    }

    [Fact]
    public async Task Report_Admin_Returns200()
    {
        using var sessions = sample.Sessions.NewClient();
        var admin = await sessions.AdminLogin();
        using var orders = Orders(admin.AccessToken);

        Assert.Equal(HttpStatusCode.OK, (await orders.GetAsync("/orders/report")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(ForgeryKinds))]
    public async Task Orders_ForgedToken_Returns401(string kind)
    {
        using var sessions = sample.Sessions.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        var forged = Forge.ByKind(kind, tokens.AccessToken, await Hostile.PublishedKeyOf(sessions, tokens.AccessToken));
        using var orders = Orders(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await orders.GetAsync("/orders")).StatusCode);
    }

    [Fact]
    public async Task Orders_ClusterCannotAnswer_Returns503WithRetryAfter()
    {
        using var sessions = sample.Sessions.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var orders = Orders(tokens.AccessToken);
        HttpStatusCode status;
        bool retryAfter;
        // The user's grain must come back from storage, and storage cannot answer.
        await sample.Sessions.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        sample.Sessions.Storage!.ReadsFailing = true;
        try
        {
            using var response = await orders.GetAsync("/orders");
            (status, retryAfter) = (response.StatusCode, response.Headers.RetryAfter is not null);
        }
        finally
        {
            sample.Sessions.Storage.ReadsFailing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(retryAfter);
    }

    public static TheoryData<string> ForgeryKinds() => new(Forge.Kinds);

    private HttpClient Orders(string? accessToken)
    {
        var client = sample.Orders.CreateClient();
        if (accessToken is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}
