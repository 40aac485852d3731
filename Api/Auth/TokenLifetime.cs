using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>The one lifetime rule for access tokens, whether freshly verified or remembered: exp and nbf with 30 s skew.</summary>
internal static class TokenLifetime
{
    public static bool IsValid(DateTime? notBefore, DateTime? expires, DateTime utcNow) =>
        expires is { } exp && utcNow < exp + SessionsTokenOptions.ClockSkew
        && (notBefore is not { } nbf || utcNow >= nbf - SessionsTokenOptions.ClockSkew);
}
