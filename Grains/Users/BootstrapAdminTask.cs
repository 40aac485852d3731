using Microsoft.Extensions.Options;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>Creates the configured admin at start-up if that username does not exist yet.</summary>
internal sealed class BootstrapAdminTask(IGrainFactory grains, IOptions<SessionsOptions> options, AuditLog audit) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrEmpty(admin.Username) || string.IsNullOrEmpty(admin.Password))
            return;
        var display = Username.Normalize(admin.Username)!;
        var outcome = await grains.GetGrain<IUsernameGrain>(Username.ToKey(display)!).Register(display, admin.Password, ["admin"], cancellationToken);
        if (outcome.Created)
            audit.BootstrapAdminCreated(outcome.UserId!);
    }
}
