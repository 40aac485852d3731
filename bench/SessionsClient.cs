using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sessions.Bench;

/// <summary>The few Sessions calls the bench needs, over the public HTTP contract.</summary>
internal sealed class SessionsClient(HttpClient http)
{
    public const string Password = "bench password 1234";

    public async Task WaitUntilServingAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + BenchSettings.StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/.well-known/jwks.json", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        throw new TimeoutException($"Sessions on port {port} did not serve within {BenchSettings.StartDeadline.TotalSeconds:0} s");
    }

    public Task<string> GetJwksAsync(int port, CancellationToken cancellationToken) =>
        http.GetStringAsync($"http://127.0.0.1:{port}/.well-known/jwks.json", cancellationToken);

    public async Task<string> RegisterAsync(int port, string username, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"http://127.0.0.1:{port}/auth/register", new { username, password = Password }, cancellationToken);
        await ThrowUnlessAsync(response, HttpStatusCode.Created, "register");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("userId").GetString()!;
    }

    public async Task<string> LoginAsync(int port, string username, string password, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["device_name"] = "bench",
        });
        using var response = await http.PostAsync($"http://127.0.0.1:{port}/oauth/token", form, cancellationToken);
        await ThrowUnlessAsync(response, HttpStatusCode.OK, "login");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// One password grant. Only the status, and the refresh token when asked for, are read: the bench shares the
    /// server's cores, so it parses no more than it needs.
    /// </summary>
    public async Task<TokenCall> PasswordGrantAsync(int port, string username, string? deviceId, string deviceName, bool readRefreshToken,
        CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = Password,
            ["device_name"] = deviceName,
        };
        if (deviceId is not null)
            form["device_id"] = deviceId;
        return await TokenAsync(port, form, readRefreshToken, cancellationToken);
    }

    public Task<TokenCall> RefreshGrantAsync(int port, string refreshToken, CancellationToken cancellationToken) =>
        TokenAsync(port, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken },
            readRefreshToken: true, cancellationToken);

    public async Task<int> GetMeStatusAsync(int port, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>A user by id, as an admin sees them: calls their user grain only.</summary>
    public async Task GetUserAsync(int port, string adminToken, string userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/admin/users/{userId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowUnlessAsync(response, HttpStatusCode.OK, "get user");
    }

    /// <summary>The live sessions of a user, as an admin sees them.</summary>
    public async Task<int> CountSessionsAsync(int port, string adminToken, string userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/admin/users/{userId}/sessions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowUnlessAsync(response, HttpStatusCode.OK, "sessions");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetArrayLength();
    }

    private async Task<TokenCall> TokenAsync(int port, Dictionary<string, string> form, bool readRefreshToken, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync($"http://127.0.0.1:{port}/oauth/token", content, cancellationToken);
        var status = (int)response.StatusCode;
        if (status != 200 && status != 400)
            return new TokenCall(status, null, null);
        if (status == 200 && !readRefreshToken)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return new TokenCall(status, null, null);
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return status == 200
            ? new TokenCall(status, json.RootElement.GetProperty("refresh_token").GetString(), null, json.RootElement.GetProperty("access_token").GetString())
            : new TokenCall(status, null, json.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null);
    }

    /// <summary>Logs in until the bootstrap admin exists (it is created by a start-up task), within the start deadline.</summary>
    public async Task<string> LoginAdminAsync(int port, string username, string password, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + BenchSettings.StartDeadline;
        while (true)
        {
            try
            {
                return await LoginAsync(port, username, password, cancellationToken);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    public async Task RevokeUserAsync(int port, string adminToken, string userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/admin/users/{userId}/revoke");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowUnlessAsync(response, HttpStatusCode.NoContent, "revoke");
    }

    /// <summary>Registers and logs in <paramref name="count"/> users, <paramref name="parallelism"/> at a time, spread over the ports.</summary>
    public async Task<IssuedToken[]> CreateUsersAsync(IReadOnlyList<int> ports, string prefix, int count, int parallelism, CancellationToken cancellationToken)
    {
        var tokens = new IssuedToken[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var port = ports[i % ports.Count];
                var username = $"{prefix}{i:D5}";
                var userId = await RegisterAsync(port, username, ct);
                tokens[i] = IssuedToken.From(userId, username, await LoginAsync(port, username, Password, ct));
            });
        return tokens;
    }

    private static async Task ThrowUnlessAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
            throw new HttpRequestException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
