using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>migrate provisions the cluster's first Data Protection key sealed, when a certificate is configured.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SealedKeyRingMigrateTests(PostgresServer server) : IDisposable
{
    private const string CertificatePassword = "certificate-password-for-tests";
    private readonly string _secrets = Directory.CreateTempSubdirectory("sessions-dp-cert-").FullName;

    [Fact]
    public async Task Migrate_WithACertificate_StoresTheFirstKeyEncryptedInPostgres()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=sessions-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_secrets, "dp.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:DataProtection:Certificate:Path"] = path,
            ["Sessions:DataProtection:Certificate:Password"] = CertificatePassword,
        }).Build();

        await DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None, configuration);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM sessions_data_protection_keys", connection);
        var xml = (string)(await command.ExecuteScalarAsync())!;
        Assert.Contains("<EncryptedData", xml);
        Assert.DoesNotContain("<value>", xml);
    }

    public void Dispose() => Directory.Delete(_secrets, recursive: true);
}
