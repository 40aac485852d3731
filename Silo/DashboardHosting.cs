using Orleans.Dashboard;
using Microsoft.Extensions.Options;
using Sessions.Api.Observability;
using Sessions.Grains;

namespace Sessions.Silo;

/// <summary>
/// The Orleans Dashboard on silo hosts, at <see cref="Path"/>, when <c>Sessions:Dashboard:Enabled=true</c>. Off by default:
/// its per-call profiling of grain calls roughly doubles the CPU of each validated request (bench/README.md).
/// </summary>
internal static class DashboardHosting
{
    public const string Path = "/dashboard";

    public static ISiloBuilder AddSessionsDashboard(this ISiloBuilder silo, SiloDashboardOptions dashboard)
    {
        if (!dashboard.Enabled)
            return silo;
        // Its live log stream would carry the audit events' user ids and client addresses to anyone who can open it.
        return silo.AddDashboard(options => options.HideTrace = dashboard.HideTrace);
    }

    public static WebApplication MapSessionsDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SessionsSiloOptions>>().Value.Dashboard.Enabled)
            app.MapOrleansDashboard(Path).ExcludeFromDescription().RequireManagementPort();
        return app;
    }
}
