using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Sessions.Tests.Infrastructure;

/// <summary>
/// The single-process service with every log record it writes collected for the test, the audit category on, and
/// client addresses taken from <c>X-Forwarded-For</c> (ASP.NET Core's forwarded-headers handling), so tests can
/// check the address each audit event names.
/// </summary>
public sealed class ObservedSessionsApp : SessionsApp
{
    public ObservedSessionsApp() : this(null)
    {
    }

    internal ObservedSessionsApp(IReadOnlyDictionary<string, string?>? overrides) : base(null, WithObservation(overrides))
    {
    }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <summary>A client whose requests all come from <paramref name="clientIp"/>, as far as the service can tell.</summary>
    public SessionsClient NewClient(string clientIp)
    {
        var client = NewClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddFakeLogging());
    }

    private static Dictionary<string, string?> WithObservation(IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FORWARDEDHEADERS_ENABLED"] = "true",
            ["Logging:LogLevel:Sessions.Audit"] = "Information",
            // The collector sees everything asked for above; the console stays as quiet as in the other tests.
            ["Logging:Console:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        return settings;
    }
}
