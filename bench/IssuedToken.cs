using System.Buffers.Text;
using System.Text.Json;

namespace Sessions.Bench;

/// <summary>An access token Sessions issued, with the ids the baselines look up (read from its payload, not verified here).</summary>
internal sealed record IssuedToken(string UserId, string Username, string AccessToken, string SessionId, string Jti)
{
    public static IssuedToken From(string userId, string username, string accessToken)
    {
        var payload = Base64Url.DecodeFromChars(accessToken.Split('.')[1]);
        using var json = JsonDocument.Parse(payload);
        return new IssuedToken(userId, username, accessToken, json.RootElement.GetProperty("sid").GetString()!,
            json.RootElement.GetProperty("jti").GetString()!);
    }
}
