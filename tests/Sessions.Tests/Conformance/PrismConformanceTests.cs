using System.Net;
using System.Net.Http.Json;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Pages;

namespace Sessions.Tests.Conformance;

/// <summary>A normal client's flow through a strict OpenAPI validator: every request and answer matches the document.</summary>
public sealed class PrismConformanceTests : IClassFixture<LiveSessionsApp>, IAsyncLifetime
{
    private readonly LiveSessionsApp _app;
    private readonly List<string> _violations = [];
    private PrismProxy? _prism;
    private SessionsClient? _client;
    private string? _folder;

    public PrismConformanceTests(LiveSessionsApp app) => _app = app;

    public async Task InitializeAsync()
    {
        var service = _app.Start();
        _folder = Directory.CreateTempSubdirectory("sessions-prism-").FullName;
        var document = Path.Combine(_folder, "openapi.json");
        using (var http = new HttpClient { BaseAddress = service })
            await File.WriteAllTextAsync(document, await http.GetStringAsync("/openapi/v1.json"));
        _prism = await PrismProxy.StartAsync(document, service);
        _client = new SessionsClient(new HttpClient(new ViolationRecorder(_violations)) { BaseAddress = _prism.Address });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_prism is not null)
            await _prism.DisposeAsync();
        if (_folder is not null)
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ClientFlow_ThroughPrismWithErrors_HasNoViolations()
    {
        var client = _client!;
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/health/live", null)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/health/ready", null)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/.well-known/oauth-authorization-server", null)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/.well-known/jwks.json", null)));

        var username = SessionsClient.NewUsername();
        var userId = await client.Register(username);
        Assert.Equal(HttpStatusCode.Conflict, await client.StatusOf(client.Http.PostAsJsonAsync("/auth/register", new { username, password = SessionsClient.Password })));
        var tokens = await client.Login(username, deviceId: "laptop-1", deviceName: "Laptop");
        var second = await client.Login(username);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me/sessions", tokens.AccessToken)));
        using (var refreshed = await client.Refresh(tokens.RefreshToken))
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(tokens.RefreshToken + "x")));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", "not-a-token")));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/me/sessions/{second.SessionId}", tokens.AccessToken)));

        var admin = await client.AdminLogin();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get($"/admin/users?username={username}", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Get($"/admin/users?username={SessionsClient.NewUsername()}", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get($"/admin/users/{userId}", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get($"/admin/users/{userId}/sessions", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.Forbidden, await client.StatusOf(client.Get($"/admin/users/{userId}", tokens.AccessToken)));
        using (var introspect = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/oauth/introspect")
        {
            Headers = { Authorization = new("Bearer", admin.AccessToken) },
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.AccessToken)]),
        }))
            Assert.Equal(HttpStatusCode.OK, introspect.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/disable", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/enable", admin.AccessToken)));

        var fresh = await client.Login(username);
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout?scope=local", fresh.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Http.PostAsync("/oauth/revoke",
            new FormUrlEncodedContent([KeyValuePair.Create("token", "unknown-token")]))));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));

        Assert.Empty(_violations);
    }

    /// <summary>Prism marks a mismatch with an sl-violations header, or answers with an error of its own type.</summary>
    private sealed class ViolationRecorder(List<string> violations) : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.Headers.TryGetValues("sl-violations", out var values))
                violations.Add($"{request.Method} {request.RequestUri!.PathAndQuery}: {string.Join(" ", values)}");
            else if (body.Contains("stoplight.io/prism/errors", StringComparison.Ordinal))
                violations.Add($"{request.Method} {request.RequestUri!.PathAndQuery}: {(int)response.StatusCode} {body}");
            return response;
        }
    }
}
