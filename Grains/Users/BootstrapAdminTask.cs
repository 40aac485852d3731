using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Grains.Users;

/// <summary>Creates the configured admin at start-up if that username does not exist yet.</summary>
internal sealed partial class BootstrapAdminTask(IGrainFactory grains, IOptions<SessionsOptions> options, ILogger<BootstrapAdminTask> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrEmpty(admin.Username) || string.IsNullOrEmpty(admin.Password))
            return;
        var display = Username.Normalize(admin.Username)!;
        var outcome = await grains.GetGrain<IUsernameGrain>(display.ToLowerInvariant()).Register(display, admin.Password, ["admin"], cancellationToken);
        if (outcome.Created)
            LogCreated(logger, outcome.UserId!);
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Bootstrap admin {UserId} created")]
    private static partial void LogCreated(ILogger logger, string userId);
}
