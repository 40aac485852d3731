using System.Text.Json;

namespace Sessions.Tests.Infrastructure;

public sealed record Tokens(string AccessToken, string RefreshToken, string SessionId, string DeviceId, int ExpiresIn)
{
    public static Tokens From(JsonElement json) => new(
        json.GetProperty("access_token").GetString()!,
        json.GetProperty("refresh_token").GetString()!,
        json.GetProperty("session_id").GetString()!,
        json.GetProperty("device_id").GetString()!,
        json.GetProperty("expires_in").GetInt32());
}
