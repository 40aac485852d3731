using Microsoft.AspNetCore.Identity;

namespace Sessions.Grains.Users;

/// <summary>ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000 iterations, 128-bit salt).</summary>
internal static class Passwords
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object User = new();
    private static readonly Lazy<string> DummyHash = new(() => Hash("not-a-password-of-anyone"));

    public static string Hash(string password) => Hasher.HashPassword(User, password);

    public static PasswordVerificationResult Verify(string hash, string password) => Hasher.VerifyHashedPassword(User, hash, password);

    /// <summary>Spends the same work as a real check, so an unknown user cannot be told from a wrong password by timing.</summary>
    public static void VerifyNobody(string password) => Hasher.VerifyHashedPassword(User, DummyHash.Value, password);
}
