using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Sessions.Api.Auth;
using Sessions.Grains;

namespace Sessions.Api.Endpoints;

public sealed record AuthorizationServerMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("introspection_endpoint")] string IntrospectionEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("grant_types_supported")] string[] GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] string[] TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] string[] RevocationEndpointAuthMethodsSupported,
    [property: JsonPropertyName("introspection_endpoint_auth_methods_supported")] string[] IntrospectionEndpointAuthMethodsSupported,
    [property: JsonPropertyName("response_types_supported")] string[] ResponseTypesSupported);

public sealed record JsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use);

public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] JsonWebKey[] Keys);

/// <summary>RFC 8414 metadata and the RFC 7517 key set.</summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").WithTags("Discovery");
        wellKnown.MapGet("/oauth-authorization-server", Metadata)
            .WithName("AuthorizationServerMetadata")
            .WithSummary("OAuth 2.0 authorization server metadata (RFC 8414)");
        wellKnown.MapGet("/jwks.json", Jwks)
            .WithName("Jwks")
            .WithSummary("The public keys of every key that may have signed a still-unexpired token (RFC 7517)");
        return app;
    }

    private static Ok<AuthorizationServerMetadata> Metadata(IOptions<SessionsTokenOptions> options)
    {
        var issuer = options.Value.Issuer!;
        return TypedResults.Ok(new AuthorizationServerMetadata(
            issuer,
            $"{issuer}/oauth/token",
            $"{issuer}/oauth/revoke",
            $"{issuer}/oauth/introspect",
            $"{issuer}/.well-known/jwks.json",
            ["password", "refresh_token"],
            ["none"],
            ["none"],
            // An admin's access token, or a resource server's credentials (Sessions:ResourceServers).
            ["bearer", "client_secret_basic", "client_secret_post"],
            []));
    }

    private static async Task<Ok<JsonWebKeySet>> Jwks(SigningKeyStore keys, HttpContext context)
    {
        await keys.EnsureFreshAsync(context.RequestAborted);
        // An emergency retirement must not linger in anyone's cache.
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(new JsonWebKeySet([.. keys.Keys.Keys.Select(k => new JsonWebKey("EC", "P-256", k.X, k.Y, k.Kid, "ES256", "sig"))]));
    }
}
