using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Sessions.Silo.Database;

/// <summary>
/// Makes sure the cluster's Data Protection key ring has a usable key before any silo starts. Silos that start
/// together would otherwise each create one, and a silo could meet a signing key sealed with a key it has not loaded.
/// </summary>
internal static class DataProtectionKeys
{
    private const long ProvisioningLockKey = 0x5E55_1045_D8A7_A5E6;

    public static async Task EnsureUsableKeyAsync(string connectionString, IConfiguration? configuration, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var acquire = new NpgsqlCommand($"SELECT pg_advisory_lock({ProvisioningLockKey})", connection))
            await acquire.ExecuteNonQueryAsync(ct);
        try
        {
            var services = new ServiceCollection();
            var dataProtection = services.AddDataProtection().SetApplicationName(SiloHosting.DataProtectionApplicationName)
                .AddKeyManagementOptions(options => options.XmlRepository = new PostgresXmlRepository(connectionString));
            // The first key is sealed like the silos' own, or a configured certificate would protect none of it.
            if (configuration is not null)
                dataProtection.ProtectKeysWithConfiguredCertificate(configuration);
            await using var provider = services.BuildServiceProvider();
            var keys = provider.GetRequiredService<IKeyManager>();
            var now = DateTimeOffset.UtcNow;
            // Usable for a good while yet; otherwise the silos' own key rolling takes over in time.
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(14)))
                keys.CreateNewKey(now, now.AddDays(90));
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({ProvisioningLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
