using System.Text.Json.Serialization;

namespace Sessions.Api.Endpoints;

/// <summary>RFC 6749 §5.1 and §5.2 response bodies.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("device_id")] string DeviceId);

/// <summary>The parameters of <c>POST /oauth/token</c> (RFC 6749 §4.3 and §6), form-encoded or JSON; documents the wire shape.</summary>
public sealed record TokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("device_id")] string? DeviceId,
    [property: JsonPropertyName("device_name")] string? DeviceName);

/// <summary>The parameters of revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.1).</summary>
public sealed record TokenParameterRequest(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("token_type_hint")] string? TokenTypeHint);

public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

internal static class OAuthResults
{
    public static IResult Error(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        new NoStore(TypedResults.Json(new OAuthError(error, description), statusCode: status));

    public static IResult NoStoreJson<T>(T value) => new NoStore(TypedResults.Json(value));

    /// <summary>RFC 6749 §5.1: token responses must not be cached.</summary>
    private sealed class NoStore(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Headers.Pragma = "no-cache";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
