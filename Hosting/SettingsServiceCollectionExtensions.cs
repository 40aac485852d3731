using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Sessions.Hosting;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it at start-up
    /// (<see cref="ISettings.Validate"/>): a bad setting stops the host with a message naming it. Adding it twice is harmless.
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section) where T : class, ISettings
    {
        var builder = services.AddOptions<T>();
        if (services.Any(s => s.ServiceType == typeof(SettingsValidator<T>)))
            return builder;
        services.AddSingleton<SettingsValidator<T>>();
        services.AddSingleton<IValidateOptions<T>>(provider => provider.GetRequiredService<SettingsValidator<T>>());
        builder.BindConfiguration(section).ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// The settings a host needs before it is built (which storage, whether to serve the Api): bound from
    /// <paramref name="section"/> and validated now, with the same messages as at start-up.
    /// </summary>
    public static T ReadSettings<T>(this IConfiguration configuration, string section) where T : class, ISettings, new()
    {
        var settings = new T();
        configuration.GetSection(section).Bind(settings);
        var failures = settings.Validate().ToList();
        return failures.Count == 0 ? settings : throw new OptionsValidationException(section, typeof(T), failures);
    }

    /// <summary>Adds the token settings both hosts share (<see cref="SessionsTokenOptions"/>), with the issuer's default.</summary>
    public static IServiceCollection AddTokenOptions(this IServiceCollection services)
    {
        services.AddSettings<SessionsTokenOptions>(SessionsTokenOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionsTokenOptions>, DefaultIssuer>());
        return services;
    }

    private sealed class SettingsValidator<T> : IValidateOptions<T> where T : class, ISettings
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }

    /// <summary>Without <c>Sessions:Issuer</c>, the first of <c>urls</c>, else <c>http://localhost:5080</c>; never with a trailing slash.</summary>
    private sealed class DefaultIssuer(IConfiguration configuration) : IPostConfigureOptions<SessionsTokenOptions>
    {
        public void PostConfigure(string? name, SessionsTokenOptions options) =>
            options.Issuer = (options.Issuer is { Length: > 0 } issuer ? issuer : FirstUrl(configuration)).TrimEnd('/');

        private static string FirstUrl(IConfiguration configuration) =>
            configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5080";
    }
}
