using Orleans.Dashboard;
using Sessions.Api.Observability;

namespace Sessions.Silo;

/// <summary>
/// The Orleans Dashboard on silo hosts, at <see cref="Path"/>, when <c>Sessions:Dashboard:Enabled=true</c>. Off by default:
/// its per-call profiling of grain calls roughly doubles the CPU of each validated request (bench/README.md).
/// </summary>
internal static class DashboardHosting
{
    public const string Path = "/dashboard";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Sessions:Dashboard:Enabled", false);

    public static ISiloBuilder AddSessionsDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
            return silo;
        // Its live log stream would carry the audit events' user ids and client addresses to anyone who can open it.
        var hideTrace = configuration.GetValue("Sessions:Dashboard:HideTrace", true);
        return silo.AddDashboard(options => options.HideTrace = hideTrace);
    }

    public static WebApplication MapSessionsDashboard(this WebApplication app)
    {
        if (IsEnabled(app.Configuration))
            app.MapOrleansDashboard(Path).ExcludeFromDescription().RequireManagementPort();
        return app;
    }
}
