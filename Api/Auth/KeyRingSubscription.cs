using Microsoft.Extensions.Options;
using Sessions.Grains;

namespace Sessions.Api.Auth;

/// <summary>Keeps this host subscribed to the key ring, renewing well inside the lease.</summary>
internal sealed partial class KeyRingSubscription(SigningKeyStore store, IOptions<SessionsTokenOptions> options, ILogger<KeyRingSubscription> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.KeyRingLease / 3);
        do
        {
            try
            {
                await store.SyncAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSyncFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Could not renew the key ring subscription; tokens are refused once the lease runs out")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
