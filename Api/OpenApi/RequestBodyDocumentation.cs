using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sessions.Api.OpenApi;

internal static class RequestBodyDocumentation
{
    /// <summary>
    /// Documents a body the handler reads itself. Accepts&lt;T&gt;() would say the same in the document, but it also makes
    /// routing refuse any other content type with a bare 415 of its own, before our handler can answer with its problem.
    /// Only non-nullable fields are required: the generator marks every constructor parameter of a record required,
    /// and a validating gateway in front of us would then refuse a password grant for lacking a refresh_token.
    /// </summary>
    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            schema.Required = schema.Properties is { } properties
                ? properties.Where(p => p.Value.Type is { } type && !type.HasFlag(JsonSchemaType.Null)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal)
                : null;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
            };
        });
}
