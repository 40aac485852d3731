using System.Net;
using System.Net.Http.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class RegistrationTests(SessionsApp app)
{
    [Fact]
    public async Task Register_NewName_Returns201WithTheUserAndItsLocation()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();

        using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await SessionsClient.Json(response);
        var userId = body.GetProperty("userId").GetString();
        Assert.Equal(username, body.GetProperty("username").GetString());
        Assert.Equal($"/admin/users/{userId}", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ")]
    public async Task Register_NameTakenInAnotherCaseOrWidth_Returns409(string variant)
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await client.Register(variant.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormKC) + suffix);

        using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username = variant + suffix, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("ab", "long enough password")]
    [InlineData("has space", "long enough password")]
    [InlineData("semi;colon", "long enough password")]
    [InlineData("okname", "short")]
    [InlineData(null, "long enough password")]
    [InlineData("okname", null)]
    public async Task Register_BreakingTheRules_Returns400Problem(string? username, string? password)
    {
        using var client = app.NewClient();

        using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username, password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await SessionsClient.Json(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Register_TooLongNameOrPassword_Returns400()
    {
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Http.PostAsJsonAsync("/auth/register", new { username = new string('a', 65), password = SessionsClient.Password })));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Http.PostAsJsonAsync("/auth/register", new { username = SessionsClient.NewUsername(), password = new string('p', 129) })));
    }

    [Fact]
    public async Task Register_RacingForOneName_ExactlyOneWins()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.StatusOf(client.Http.PostAsJsonAsync("/auth/register", new { username = i % 2 == 0 ? username : username.ToUpperInvariant(), password = SessionsClient.Password }))));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
    }
}
