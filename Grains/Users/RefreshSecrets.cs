using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Sessions.Grains.Users;

/// <summary>Refresh-token secrets: 256 random bits; only their SHA-256 is ever stored.</summary>
internal static class RefreshSecrets
{
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(byte[] hash, byte[] expected) =>
        expected.Length == hash.Length && CryptographicOperations.FixedTimeEquals(hash, expected);
}
