using System.Diagnostics.CodeAnalysis;

namespace Sessions.Grains;

/// <summary>
/// A refresh token is <c>{userId}.{sessionId}.{secret}</c>: the ids route it to its grain, the secret proves it.
/// Clients treat it as opaque.
/// </summary>
public static class RefreshTokenFormat
{
    public static string Create(string userId, string sessionId, string secret) => $"{userId}.{sessionId}.{secret}";

    public static bool TryParse(string? token, [NotNullWhen(true)] out string? userId, [NotNullWhen(true)] out string? sessionId, [NotNullWhen(true)] out string? secret)
    {
        userId = sessionId = secret = null;
        if (token is null || token.Length > 256)
            return false;
        var parts = token.Split('.');
        if (parts.Length != 3 || !Ids.IsValid(parts[0]) || !Ids.IsValid(parts[1]) || parts[2].Length is < 16 or > 128)
            return false;
        (userId, sessionId, secret) = (parts[0], parts[1], parts[2]);
        return true;
    }
}
