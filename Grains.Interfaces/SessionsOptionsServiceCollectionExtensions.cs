using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sessions.Grains;

public static class SessionsOptionsServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Sessions</c> section; a bad setting stops start-up with a clear message.</summary>
    public static IServiceCollection AddSessionsOptions(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(SessionsOptionsMarker)))
            return services;
        services.AddSingleton<SessionsOptionsMarker>();
        services.AddOptions<SessionsOptions>()
            .BindConfiguration(SessionsOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.Issuer = (options.Issuer is { Length: > 0 } issuer ? issuer : DefaultIssuer(configuration)).TrimEnd('/'))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionsOptions>, SessionsOptionsValidator>();
        return services;
    }

    private static string DefaultIssuer(IConfiguration configuration) =>
        configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5080";

    private sealed class SessionsOptionsMarker;

    private sealed class SessionsOptionsValidator : IValidateOptions<SessionsOptions>
    {
        public ValidateOptionsResult Validate(string? name, SessionsOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
