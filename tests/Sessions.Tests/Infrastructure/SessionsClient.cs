using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sessions.Tests.Infrastructure;

/// <summary>Speaks the HTTP contract for tests; asserts only where a step is a precondition, not the behaviour under test.</summary>
public sealed class SessionsClient(HttpClient http) : IDisposable
{
    public const string Password = "correct horse battery";

    public HttpClient Http => http;

    public static string NewUsername() => "u" + Guid.NewGuid().ToString("N")[..16];

    public async Task<string> Register(string username, string password = Password)
    {
        using var response = await http.PostAsJsonAsync("/auth/register", new { username, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("userId").GetString()!;
    }

    public Task<HttpResponseMessage> PostToken(params (string Name, string Value)[] form) =>
        http.PostAsync("/oauth/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public async Task<Tokens> Login(string username, string password = Password, string? deviceId = null, string? deviceName = null)
    {
        var form = new List<(string, string)> { ("grant_type", "password"), ("username", username), ("password", password) };
        if (deviceId is not null)
            form.Add(("device_id", deviceId));
        if (deviceName is not null)
            form.Add(("device_name", deviceName));
        using var response = await PostToken([.. form]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Tokens.From(await Json(response));
    }

    public Task<HttpResponseMessage> Refresh(string refreshToken) =>
        PostToken(("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public async Task<(string UserId, string Username, Tokens Tokens)> NewUser(string? deviceId = null)
    {
        var username = NewUsername();
        var userId = await Register(username);
        return (userId, username, await Login(username, deviceId: deviceId));
    }

    public Task<Tokens> AdminLogin() => Login(SessionsApp.AdminUsername, SessionsApp.AdminPassword);

    public Task<HttpResponseMessage> Send(HttpMethod method, string path, string? accessToken, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(request);
    }

    public Task<HttpResponseMessage> Get(string path, string? accessToken) => Send(HttpMethod.Get, path, accessToken);

    public Task<HttpResponseMessage> Post(string path, string? accessToken, object? body = null) =>
        Send(HttpMethod.Post, path, accessToken, body is null ? null : JsonContent.Create(body));

    public Task<HttpResponseMessage> Delete(string path, string? accessToken) => Send(HttpMethod.Delete, path, accessToken);

    public async Task<HttpStatusCode> StatusOf(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public void Dispose() => http.Dispose();
}
