using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sessions.Api.OpenApi;

/// <summary>Every problem this service writes carries type, title, status and detail (Problems, the status-code pages), so the schema says so.</summary>
internal sealed class ProblemDetailsSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly string[] Fields = ["type", "title", "status", "detail"];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
            schema.Required = Fields.ToHashSet(StringComparer.Ordinal);
        return Task.CompletedTask;
    }
}
