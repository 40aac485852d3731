using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>
/// Failed client authentications on POST /oauth/introspect are limited per client address (3 a minute here);
/// successful ones never are, as a resource server introspects on every request of its users.
/// </summary>
public sealed class IntrospectionLimitTests(IntrospectionLimitApp app) : IClassFixture<IntrospectionLimitApp>
{
    private static int _addresses;

    [Fact]
    public async Task Introspect_FailedClientAuthenticationsPastTheBudget_Returns429WithRetryAfter()
    {
        using var http = Client();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Introspect(http, "wrong-secret")).StatusCode);

        using var response = await Introspect(http, "wrong-secret");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Introspect_RightSecretAfterTheBudgetIsSpent_Returns429WithoutCheckingIt()
    {
        using var http = Client();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Introspect(http, "wrong-secret")).StatusCode);

        using var response = await Introspect(http, ResourceServerApp.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task Introspect_ManySuccessfulClientAuthentications_AreNeverLimited()
    {
        using var http = Client();
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await Introspect(http, ResourceServerApp.Secret)).StatusCode);

        using var response = await Introspect(http, "wrong-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Introspect_FailuresFromAnotherAddress_DoNotLimitThisOne()
    {
        using var attacker = Client();
        for (var i = 0; i < 4; i++)
            await Introspect(attacker, "wrong-secret");
        using var resourceServer = Client();

        using var response = await Introspect(resourceServer, ResourceServerApp.Secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Each client an address of its own (TEST-NET-2), so the tests' budgets are apart.
    private HttpClient Client()
    {
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{Interlocked.Increment(ref _addresses)}");
        return http;
    }

    private static async Task<HttpResponseMessage> Introspect(HttpClient http, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", "not-a-token")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ResourceServerApp.ClientId}:{secret}")));
        return await http.SendAsync(request);
    }
}
