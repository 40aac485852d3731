using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sessions.Api.OpenApi;

/// <summary>
/// Declares the bearer scheme once and marks every operation that needs an access token with it, so generated clients
/// and the interactive reference know which calls take <c>Authorization: Bearer</c>.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Sessions";
        document.Info.Description =
            "Login sessions for APIs: short-lived ES256 access tokens checked against the user's live session on every request, " +
            "rotating refresh tokens, and revocation that holds on the very next request on every host.";
        document.AddComponent<IOpenApiSecurityScheme>(SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /oauth/token (typ at+jwt, ES256). Admin routes need role admin.",
        });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            Require(operation, context.Document);
        return Task.CompletedTask;
    }

    /// <summary>For routes that authenticate by hand (introspection answers 401, not 403, to a non-admin).</summary>
    public static void Require(OpenApiOperation operation, OpenApiDocument? document)
    {
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
    }
}
