using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Sessions.Tests.Cluster.Fencing;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>
/// A cluster keeps its Data Protection key ring in the same database as the signing keys it seals: until a
/// certificate seals that key ring, every start of a clustered silo says so (event 1201).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UnsealedKeyRingWarningTests(PostgresServer server) : IDisposable
{
    private const int UnsealedWarning = 1201;
    private const string CertificatePassword = "certificate-password-for-tests";
    private readonly string _secrets = Directory.CreateTempSubdirectory("sessions-unsealed-warning-").FullName;

    [Fact]
    public async Task Start_ClusterWithoutCertificate_LogsTheUnsealedWarning()
    {
        var records = await StartAndCollect(new Dictionary<string, string?>());

        var warning = Assert.Single(records, r => r.Id.Id == UnsealedWarning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Sessions:DataProtection:Certificate:Path", warning.Message);
    }

    [Fact]
    public async Task Start_ClusterWithCertificate_LogsNoUnsealedWarning()
    {
        var records = await StartAndCollect(new Dictionary<string, string?>
        {
            ["Sessions:DataProtection:Certificate:Path"] = NewCertificate(),
            ["Sessions:DataProtection:Certificate:Password"] = CertificatePassword,
        });

        Assert.DoesNotContain(records, r => r.Id.Id == UnsealedWarning);
    }

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    private async Task<IReadOnlyList<FakeLogRecord>> StartAndCollect(Dictionary<string, string?> settings)
    {
        await using var silo = new ClusteredSiloApp(await server.CreateDatabaseAsync(), settings);
        await using var observed = silo.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddFakeLogging()));
        using var client = observed.CreateClient();
        // Started, then ready once its key copy and storage answer: polled, since a loaded machine takes a moment.
        await Eventually.Succeeds(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        return observed.Services.GetFakeLogCollector().GetSnapshot();
    }

    private string NewCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=sessions-key-ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_secrets, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        return path;
    }
}
