using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class FailClosedTests(SessionsApp app)
{
    [Fact]
    public async Task Revoke_WhileStorageIsDown_Returns503AndIsNotAcknowledged()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        HttpResponseMessage response;
        app.Storage!.Failing = true;
        try
        {
            response = await client.Post($"/admin/users/{userId}/revoke", admin.AccessToken);
        }
        finally
        {
            app.Storage.Failing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        // Nothing unstored was acted on: the session is as it was, and the revocation works once storage is back.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
    }

    [Fact]
    public async Task Login_WhileStorageIsDown_Returns503NotATokenPair()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);
        HttpResponseMessage response;
        app.Storage!.Failing = true;
        try
        {
            response = await client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password));
        }
        finally
        {
            app.Storage.Failing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var tokens = await client.Login(username);
        using var sessions = await client.Get("/me/sessions", tokens.AccessToken);
        Assert.Equal(1, (await SessionsClient.Json(sessions)).GetArrayLength());
    }
}
