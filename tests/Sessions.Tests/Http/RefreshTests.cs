using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class RefreshTests(SessionsApp app)
{
    [Fact]
    public async Task Refresh_CurrentToken_RotatesToANewPairOnTheSameSession()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        using var response = await client.Refresh(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var rotated = Tokens.From(await SessionsClient.Json(response));
        Assert.NotEqual(tokens.RefreshToken, rotated.RefreshToken);
        Assert.Equal(tokens.SessionId, rotated.SessionId);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", rotated.AccessToken)));
    }

    [Fact]
    public async Task Refresh_SpentTokenWithinGrace_ReturnsTheSamePair()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        using var first = await client.Refresh(tokens.RefreshToken);
        app.Time.Advance(TimeSpan.FromSeconds(9));

        using var again = await client.Refresh(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refresh_SpentTokenAfterGraceOnceTheNewPairWasUsed_IsTheftAndEndsTheSession()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        using var first = await client.Refresh(tokens.RefreshToken);
        var rotated = Tokens.From(await SessionsClient.Json(first));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", rotated.AccessToken)));
        app.Time.Advance(TimeSpan.FromSeconds(11));

        using var replay = await client.Refresh(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await SessionsClient.Json(replay)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", rotated.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(rotated.RefreshToken)));
    }

    [Fact]
    public async Task Refresh_SpentTokenLongAfterGraceWhileTheNewPairIsUnused_GetsTheSameRefreshTokenAgain()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        using var lost = await client.Refresh(tokens.RefreshToken);
        var lostPair = Tokens.From(await SessionsClient.Json(lost));
        app.Time.Advance(TimeSpan.FromSeconds(40));

        using var retried = await client.Refresh(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var pair = Tokens.From(await SessionsClient.Json(retried));
        Assert.Equal(lostPair.RefreshToken, pair.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", pair.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Refresh(pair.RefreshToken)));
    }

    [Fact]
    public async Task Refresh_ConcurrentWithTheSameToken_ProducesOneLineage()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.Refresh(tokens.RefreshToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var pairs = await Task.WhenAll(responses.Select(async r => Tokens.From(await SessionsClient.Json(r))));
        Assert.Single(pairs.Select(p => p.RefreshToken).Distinct());
        Assert.Single(pairs.Select(p => p.AccessToken).Distinct());
        using var next = await client.Refresh(pairs[0].RefreshToken);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        using var sessions = await client.Get("/me/sessions", Tokens.From(await SessionsClient.Json(next)).AccessToken);
        Assert.Equal(1, (await SessionsClient.Json(sessions)).GetArrayLength());
        foreach (var response in responses)
            response.Dispose();
    }

    [Fact]
    public async Task Refresh_ForgedSecretForARealSession_IsRefusedAndTheSessionLivesOn()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var parts = tokens.RefreshToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";

        using var response = await client.Refresh(forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await SessionsClient.Json(response)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Refresh(tokens.RefreshToken)));
    }

    [Fact]
    public async Task Refresh_AfterTheSessionIdledOut_IsRefused()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        app.Time.Advance(TimeSpan.FromMinutes(31));

        using var response = await client.Refresh(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await SessionsClient.Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_SlidesTheIdleTimeout()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        app.Time.Advance(TimeSpan.FromMinutes(20));
        using var response = await client.Refresh(tokens.RefreshToken);
        var rotated = Tokens.From(await SessionsClient.Json(response));

        // 40 minutes after login, but 20 after the refresh: the 30-minute idle timeout has not run out.
        app.Time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Refresh(rotated.RefreshToken)));
    }
}
