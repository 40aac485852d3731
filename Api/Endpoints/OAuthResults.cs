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
