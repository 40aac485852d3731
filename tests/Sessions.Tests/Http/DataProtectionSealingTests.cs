using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>The key ring that seals the signing keys, itself sealed by a certificate kept outside the data folder.</summary>
public sealed class DataProtectionSealingTests : IDisposable
{
    private const string CertificatePassword = "certificate-password-for-tests";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sessions-tests", Guid.NewGuid().ToString("N"));
    private readonly string _secrets = Directory.CreateTempSubdirectory("sessions-dp-cert-").FullName;

    private string NewCertificate(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_secrets, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        return path;
    }

    private SessionsApp App(Dictionary<string, string?> settings) => new(_dataDirectory, settings);

    private static Dictionary<string, string?> Sealed(string path) => new()
    {
        ["Sessions:DataProtection:Certificate:Path"] = path,
        ["Sessions:DataProtection:Certificate:Password"] = CertificatePassword,
    };

    private string[] KeyFiles() => Directory.GetFiles(Path.Combine(_dataDirectory, "data-protection-keys"), "*.xml");

    private static string Kid(string accessToken)
    {
        var header = accessToken.Split('.')[0].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + (4 - header.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header))).RootElement.GetProperty("kid").GetString()!;
    }

    [Fact]
    public async Task Start_WithACertificate_StoresTheKeyRingEncrypted()
    {
        await using (var app = App(Sealed(NewCertificate("current"))))
        {
            using var client = app.NewClient();
            await client.AdminLogin();
        }

        var files = KeyFiles();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("<EncryptedData", xml);
            Assert.DoesNotContain("<value>", xml); // the plaintext master key's element
        }
    }

    [Fact]
    public async Task Restart_WithTheSameCertificate_UnsealsTheSigningKey()
    {
        var certificate = NewCertificate("current");
        string kidBefore;
        await using (var first = App(Sealed(certificate)))
        {
            using var client = first.NewClient();
            kidBefore = Kid((await client.AdminLogin()).AccessToken);
        }

        await using var second = App(Sealed(certificate));
        using var again = second.NewClient();

        Assert.Equal(kidBefore, Kid((await again.AdminLogin()).AccessToken));
    }

    [Fact]
    public async Task Restart_AfterRotatingTheCertificate_UnsealsWithThePreviousOne()
    {
        var old = NewCertificate("old");
        string kidBefore;
        await using (var first = App(Sealed(old)))
        {
            using var client = first.NewClient();
            kidBefore = Kid((await client.AdminLogin()).AccessToken);
        }
        var rotated = Sealed(NewCertificate("new"));
        rotated["Sessions:DataProtection:PreviousCertificates:0:Path"] = old;
        rotated["Sessions:DataProtection:PreviousCertificates:0:Password"] = CertificatePassword;

        await using var second = App(rotated);
        using var again = second.NewClient();

        Assert.Equal(kidBefore, Kid((await again.AdminLogin()).AccessToken));
    }

    [Fact]
    public void Start_WithAMissingCertificateFile_FailsNamingTheSetting()
    {
        using var app = App(Sealed(Path.Combine(_secrets, "absent.pfx")));

        var exception = Assert.ThrowsAny<Exception>(() => app.NewClient());

        Assert.Contains("Sessions:DataProtection:Certificate:Path", exception.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in new[] { _dataDirectory, _secrets })
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
    }
}
