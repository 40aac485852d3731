using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Api.Endpoints;
using Sessions.Api.Gateway;
using Sessions.Api.Observability;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>
/// The bearer scheme with Sessions' per-request decision, for any host that is part of (or a client of) a Sessions
/// cluster: the Sessions API itself and, through Sessions.AspNetCore, other teams' ASP.NET Core APIs.
/// </summary>
internal static class SessionsBearerServices
{
    public static IServiceCollection AddSessionsBearer(this IServiceCollection services)
    {
        services.AddTokenOptions();
        services.AddSettings<SessionsApiOptions>(SessionsApiOptions.SectionName);
        services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);
        services.AddSingleton<SigningKeyStore>();
        services.AddHostedService<KeyRingSubscription>();
        services.AddSingleton<SessionBearerEvents>();
        services.AddSingleton<VerifiedTokenCache>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<UserGrainReferences>();
        services.AddHealthChecks().AddCheck<KeyRingHealthCheck>("signing-keys", tags: [HealthEndpoints.ReadyTag]);
        services.AddMetrics();
        services.AddSingleton<ApiMetrics>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<AccessTokenValidator, VerifiedTokenCache>((bearer, validator, handler) =>
            {
                // The events hand every decision to the validator; these settings pin JwtBearer to the same rules
                // in case anything reaches its own validation.
                bearer.MapInboundClaims = false;
                bearer.IncludeErrorDetails = true;
                bearer.RefreshOnIssuerKeyNotFound = false;
                bearer.EventsType = typeof(SessionBearerEvents);
                bearer.TokenValidationParameters = validator.Parameters;
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(handler);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(SessionsApiExtensions.AdminPolicy, policy => policy.RequireRole("admin"))
            .AddPolicy(SessionsGateway.SessionPolicy, policy => policy.RequireAuthenticatedUser());
        return services;
    }
}
