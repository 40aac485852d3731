namespace Sessions.Api.Auth;

/// <summary>
/// What the verified-token cache says about a token: its claims, or the validation failure, or neither when it
/// verified but lacks a claim every access token carries.
/// </summary>
internal readonly record struct TokenVerification(AccessTokenClaims? Claims, Exception? Failure);
