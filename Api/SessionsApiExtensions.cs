using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Sessions.Api.Auth;
using Sessions.Api.Endpoints;
using Sessions.Api.Gateway;
using Sessions.Api.Http;
using Sessions.Api.OpenApi;
using Sessions.Api.Pages;
using Scalar.AspNetCore;
using Sessions.Grains;

namespace Sessions.Api;

/// <summary>The HTTP face of Sessions, hosted either beside a silo or in a pure Orleans client.</summary>
public static class SessionsApiExtensions
{
    public const string AdminPolicy = "admin";
    public const string TokenRateLimit = "token";

    public static WebApplicationBuilder AddSessionsApi(this WebApplicationBuilder builder)
    {
        Username.EnsureAvailable();
        var services = builder.Services;
        // The status-code pages (404, 405, ...) answer in the same shape as our own problems: our type links and a detail.
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Type = Problems.TypeFor(status);
            context.ProblemDetails.Detail ??= Problems.DetailFor(status);
        });
        services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<BearerSecurityTransformer>();
            openApi.AddOperationTransformer<BearerSecurityTransformer>();
            openApi.AddSchemaTransformer<ProblemDetailsSchemaTransformer>();
        });
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new UtcTimestampConverter()));
        services.AddExceptionHandler<SessionsExceptionHandler>();
        services.AddSessionsBearer();
        services.AddOptions<ResourceServersOptions>()
            .Configure<IConfiguration>((servers, configuration) => configuration.GetSection(ResourceServersOptions.SectionName).Bind(servers.Clients))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ResourceServersOptions>, ResourceServersOptionsValidator>();
        services.AddSingleton<ResourceServerAuthenticator>();
        services.AddSingleton<ClientAuthenticationLimiter>();
        builder.AddSessionsGateway();

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(TokenRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<SessionsApiOptions>>().Value.RateLimit.TokenRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
                response.Headers.RetryAfter = retryAfter.ToString();
                await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests",
                    $"Too many requests from this address; retry after {retryAfter} seconds.");
            };
        });
        return builder;
    }

    // An async frame of its own, so the values end with this request.
    private static async Task WithAuditContext(HttpContext context, RequestDelegate next)
    {
        AuditContext.Set(ClientAddress.Of(context), SessionAccess.Find(context)?.UserId);
        await next(context);
    }

    /// <summary>Pinned validation: ES256 only, typ at+jwt, our issuer and audience, 30 s skew, keys only from the cluster's key ring.</summary>
    internal static TokenValidationParameters CreateValidationParameters(SessionsTokenOptions options, SigningKeyStore keys, TimeProvider time) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ValidTypes = ["at+jwt"],
        ClockSkew = SessionsTokenOptions.ClockSkew,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        TryAllIssuerSigningKeys = false,
        IssuerSigningKeyResolver = (_, _, kid, _) => keys.Resolve(kid),
        NameClaimType = "sub",
        RoleClaimType = "role",
        // Our own clock (a FakeTimeProvider in tests), with the same 30 s skew either side.
        LifetimeValidator = (notBefore, expires, _, _) => TokenLifetime.IsValid(notBefore, expires, time.GetUtcNow().UtcDateTime),
    };

    public static WebApplication MapSessionsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        // Every grain call a state-changing request makes carries who asked and from where, for the grains' audit
        // events. Reads audit nothing, so GET and HEAD (every GET /me) skip building it.
        app.Use((context, next) => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? next(context)
            : WithAuditContext(context, next));
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        // The interactive reference: on in Development (dotnet run), elsewhere only when asked for.
        if (app.Services.GetRequiredService<IOptions<SessionsApiOptions>>().Value.ApiReference ?? app.Environment.IsDevelopment())
            app.MapScalarApiReference("/scalar", reference => reference.WithTitle("Sessions API").AddPreferredSecuritySchemes(BearerSecurityTransformer.SchemeName));
        app.MapAccountEndpoints();
        app.MapTokenEndpoints();
        app.MapDiscoveryEndpoints();
        app.MapMeEndpoints();
        app.MapForwardAuthEndpoints();
        app.MapAdminEndpoints();
        app.MapPages();
        app.MapSessionsGateway();
        return app;
    }
}
