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
    [InlineData("upper", "UPPER")]
    [InlineData("fullwidth", "\uFF26\uFF55\uFF4C\uFF4C\uFF57\uFF49\uFF44\uFF54\uFF48")] // Ｆｕｌｌｗｉｄｔｈ
    [InlineData("find", "\uFB01nd")] // ﬁ ligature
    [InlineData("strasse", "Stra\u00DFe")] // Straße
    [InlineData("jos\u00E9", "Jose\u0301")] // decomposed é
    public async Task Register_NameTakenInAnotherCaseOrWidth_Returns409(string taken, string variant)
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await client.Register(taken + suffix);

        using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username = variant + suffix, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("That username is taken.", (await SessionsClient.Json(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Register_DecomposedAccent_Returns201WithTheComposedName()
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];

        using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username = "jose\u0301" + suffix, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("jos\u00E9" + suffix, (await SessionsClient.Json(response)).GetProperty("username").GetString());
    }

    [Theory]
    [InlineData("paypal", "p\u0430ypal")] // Cyrillic а
    [InlineData("inci", "\u0131nci")] // Turkish dotless ı
    [InlineData("m-admin", "rn-admin")]
    public async Task Register_NameConfusableWithATakenOne_Returns409SayingWhy(string taken, string lookalike)
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await client.Register(taken + suffix);

        using var response = await client.Http.PostAsJsonAsync("/auth/register", new { username = lookalike + suffix, password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            "That username looks like one that is taken (Unicode confusables, UTS #39: letters from another script or look-alike characters); choose another.",
            (await SessionsClient.Json(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Register_RacingLookalikeNames_ExactlyOneWins()
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] names = ["paypal" + suffix, "p\u0430ypal" + suffix, "PAYPAL" + suffix, "p\u0430yp\u0430l" + suffix];

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.StatusOf(client.Http.PostAsJsonAsync("/auth/register", new { username = names[i % names.Length], password = SessionsClient.Password }))));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Theory]
    [InlineData("alice", "\uFF21\uFF2C\uFF29\uFF23\uFF25")] // ＡＬＩＣＥ
    [InlineData("jos\u00E9", "JOSE\u0301")]
    [InlineData("strasse", "STRA\u00DFE")]
    public async Task Login_EquivalentSpelling_ReachesTheSameAccount(string registered, string spelling)
    {
        using var client = app.NewClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var userId = await client.Register(registered + suffix);

        var tokens = await client.Login(spelling + suffix);

        using var me = await client.Get("/me", tokens.AccessToken);
        var body = await SessionsClient.Json(me);
        Assert.Equal(userId, body.GetProperty("userId").GetString());
        Assert.Equal(registered + suffix, body.GetProperty("username").GetString());
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
