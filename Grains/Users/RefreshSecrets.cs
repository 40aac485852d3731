using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Sessions.Grains.Users;

/// <summary>Refresh-token secrets: 256 bits; only their SHA-256 is ever stored.</summary>
internal static class RefreshSecrets
{
    private const string NextContext = "sessions/refresh-secret/v1";

    /// <summary>A session's first secret: random.</summary>
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The secret that replaces <paramref name="spent"/>: HMAC-SHA256 under the cluster's key, bound to the user and
    /// session, so any activation recomputes the very answer a lost reply carried. Without the key it is as
    /// unpredictable as a random one.
    /// </summary>
    public static string Next(byte[] key, string userId, string sessionId, string spent)
    {
        // Ids never contain a NUL, so the fields cannot run into each other.
        var message = Encoding.UTF8.GetBytes($"{NextContext}\0{userId}\0{sessionId}\0{spent}");
        return WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, message));
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(byte[] hash, byte[] expected) =>
        expected.Length == hash.Length && CryptographicOperations.FixedTimeEquals(hash, expected);
}
