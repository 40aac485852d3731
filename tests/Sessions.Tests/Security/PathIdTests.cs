using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Garbage where a route expects a user, session, device or key id: 404 or 400, and the victim untouched.</summary>
[Collection(AppCollection.Name)]
public sealed class PathIdTests(SessionsApp app)
{
    // Already escaped for the path. Nothing here is a well-formed id; "..." stands for a 500-character id.
    private static readonly string[] GarbageIds =
    [
        "not-an-id", "a..b", "%00", "abc%00def", "%27%20OR%201%3D1%20--", "0123456789ABCDEF0123456789ABCDEF", "%E2%80%AE",
        "%FF%FE", "%ED%A0%80", "%2F..%2Fetc%2Fpasswd", "%0D%0ASet-Cookie:%20x", "...",
    ];

    private static readonly string[] GarbageDeviceIds =
        ["%00", "dev%00ice", "dev%0Aice", "%27%20OR%201%3D1%20--", "%E2%80%AE", "dev%2Fice", "%FF%FE", "dev%20ice", "..."];

    public static TheoryData<string, string> UserRoutes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var route in new[] { "GET /admin/users/{0}", "GET /admin/users/{0}/sessions", "POST /admin/users/{0}/revoke",
                "POST /admin/users/{0}/disable", "POST /admin/users/{0}/enable", "DELETE /admin/users/{0}/devices/dev-1" })
            {
                foreach (var id in GarbageIds)
                    data.Add(route, id);
            }
            return data;
        }
    }

    public static TheoryData<string> Ids => [.. GarbageIds];

    public static TheoryData<string> DeviceIds => [.. GarbageDeviceIds];

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task AdminUserRoute_GarbageUserId_Returns404(string route, string userId)
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();

        using var response = await Send(client, route, admin.AccessToken, Expand(userId));

        await Hostile.AssertProblem(response, HttpStatusCode.NotFound, "Not Found", "No user has that id.");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task EndUserSession_GarbageSessionId_Returns404AndSessionStaysLive(string sessionId)
    {
        using var client = app.NewClient();
        var (victimId, _, victim) = await client.NewUser();
        var admin = await client.AdminLogin();

        using var response = await Send(client, HttpMethod.Delete, $"/admin/users/{victimId}/sessions/{Expand(sessionId)}", admin.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.NotFound, "Not Found", "That user has no live session with that id.");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task EndUserSession_GarbageUserIdWithRealSessionId_Returns404AndSessionStaysLive(string userId)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var admin = await client.AdminLogin();

        using var response = await Send(client, HttpMethod.Delete, $"/admin/users/{Expand(userId)}/sessions/{victim.SessionId}", admin.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.NotFound, "Not Found", "That user has no live session with that id.");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(DeviceIds))]
    public async Task RevokeDevice_GarbageDeviceId_Returns400AndSessionStaysLive(string deviceId)
    {
        using var client = app.NewClient();
        var (victimId, _, victim) = await client.NewUser();
        var admin = await client.AdminLogin();

        using var response = await Send(client, HttpMethod.Delete, $"/admin/users/{victimId}/devices/{Expand(deviceId)}", admin.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.BadRequest, "Bad Request", "device ids are 1-128 characters of letters, digits and ._-:");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task EndMySession_GarbageSessionId_Returns404AndSessionStaysLive(string sessionId)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Send(client, HttpMethod.Delete, $"/me/sessions/{Expand(sessionId)}", victim.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.NotFound, "Not Found", "You have no live session with that id.");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task RetireSigningKey_GarbageKid_Returns404AndKeysStayPublished(string kid)
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var before = await Jwks(client);

        using var response = await Send(client, HttpMethod.Delete, $"/admin/signing-keys/{Expand(kid)}", admin.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.NotFound, "Not Found", "No signing key in use has that kid.");
        Assert.Equal(before, await Jwks(client));
        await Hostile.AssertLive(client, admin);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task FindUser_GarbageUsername_Returns404(string username)
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();

        using var response = await client.Get($"/admin/users?username={Expand(username)}", admin.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.NotFound, "Not Found", "No user has that username.");
    }

    private static string Expand(string id) => id == "..." ? new string('a', 500) : id;

    private Task<HttpResponseMessage> Send(SessionsClient client, string route, string accessToken, string id)
    {
        var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
        return Send(client, new HttpMethod(method), string.Format(template, id), accessToken);
    }

    // No client sends a NUL in a path, so those requests are handed to the app already decoded.
    private Task<HttpResponseMessage> Send(SessionsClient client, HttpMethod method, string path, string accessToken) =>
        path.Contains("%00", StringComparison.Ordinal)
            ? Hostile.SendDecodedPath(app, method, Uri.UnescapeDataString(path), accessToken)
            : client.Send(method, path, accessToken);

    private static async Task<string> Jwks(SessionsClient client)
    {
        using var response = await client.Http.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
