using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Sessions.Grains.Keys;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// What every <see cref="UserGrain"/> uses and none owns: the silo's services and settings, held once here rather than
/// in each activation, where their references and the events' own object cost every user about 90 bytes.
/// </summary>
internal sealed class UserGrainServices(
    AccessTokenIssuer tokenIssuer,
    RefreshSecretKey refreshSecretKey,
    PasswordHashing passwords,
    DeepCopier copier,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    IOptions<SessionsTokenOptions> tokens,
    IOptions<SessionsSiloOptions> options,
    AuditLog audit,
    GrainMetrics metrics)
{
    public AccessTokenIssuer TokenIssuer { get; } = tokenIssuer;

    public RefreshSecretKey RefreshSecretKey { get; } = refreshSecretKey;

    public PasswordHashing Passwords { get; } = passwords;

    public DeepCopier Copier { get; } = copier;

    public TimeProvider Time { get; } = time;

    public SessionsTokenOptions Tokens { get; } = tokens.Value;

    public SessionsSiloOptions Options { get; } = options.Value;

    public UserEvents Events { get; } = new(metrics, audit);
}
