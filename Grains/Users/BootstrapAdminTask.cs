using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>Creates the configured admin at start-up if that username does not exist yet.</summary>
/// <remarks>
/// A silo restarted after a partition may find the admin's username grain unavailable for a while (held by the
/// directory's dead-silo lease, or on a fenced silo). The admin exists in all but the very first start, so the silo
/// starts anyway after a bounded first attempt and keeps trying in the background, instead of dying when the
/// start-up task times out and being restarted into the same wait.
/// </remarks>
internal sealed partial class BootstrapAdminTask(IGrainFactory grains, IOptions<SessionsSiloOptions> options, AuditLog audit, ILogger<BootstrapAdminTask> logger) : IStartupTask
{
    private static readonly TimeSpan FirstAttempt = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);
    private const int BackgroundAttempts = 24;

    public async Task Execute(CancellationToken cancellationToken)
    {
        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrEmpty(admin.Username) || string.IsNullOrEmpty(admin.Password))
            return;
        var display = Username.Normalize(admin.Username)!;
        try
        {
            await Register(display, admin.Password, CancellationToken.None).WaitAsync(FirstAttempt, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeferred(logger, exception);
            _ = RetryInBackground(display, admin.Password);
        }
    }

    private async Task RetryInBackground(string display, string password)
    {
        for (var attempt = 1; attempt <= BackgroundAttempts; attempt++)
        {
            await Task.Delay(RetryEvery);
            try
            {
                await Register(display, password, CancellationToken.None);
                return;
            }
            catch (Exception exception)
            {
                if (attempt == BackgroundAttempts)
                    LogGaveUp(logger, exception);
            }
        }
    }

    private async Task Register(string display, string password, CancellationToken cancellationToken)
    {
        var outcome = await grains.GetGrain<IUsernameGrain>(Username.ToKey(display)!).Register(display, password, ["admin"], cancellationToken);
        if (outcome.Created)
            audit.BootstrapAdminCreated(outcome.UserId!);
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Could not ensure the bootstrap admin at start-up; starting anyway and retrying in the background")]
    private static partial void LogDeferred(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Gave up ensuring the bootstrap admin after two minutes of retries")]
    private static partial void LogGaveUp(ILogger logger, Exception exception);
}
