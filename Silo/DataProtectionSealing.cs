using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Sessions.Silo;

/// <summary>
/// Seals the Data Protection key ring — which seals the ES256 signing keys — with a certificate that is not stored
/// beside it: the key ring lives in the data folder or in PostgreSQL, the certificate in a file or secret mount.
/// Whoever reads the database then holds encrypted keys only. Sessions:DataProtection:Certificate:Path (a PKCS#12
/// file with its private key) and :Password seal new keys; every Sessions:DataProtection:PreviousCertificates:N:Path
/// still unseals keys sealed before a rotation.
/// </summary>
internal static partial class DataProtectionSealing
{
    public const string Section = "Sessions:DataProtection";

    /// <summary>Applies the configured certificates, if any; answers whether new keys are sealed.</summary>
    public static bool ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        var current = configuration.GetSection($"{Section}:Certificate");
        if (string.IsNullOrWhiteSpace(current["Path"]))
            return false;
        var certificate = Load(current, $"{Section}:Certificate");
        dataProtection.ProtectKeysWithCertificate(certificate);
        var previous = configuration.GetSection($"{Section}:PreviousCertificates").GetChildren()
            .Select(section => Load(section, section.Path)).ToArray();
        // The current one too: the key ring's decryptor looks certificates up among these, not only in a store.
        dataProtection.UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        return true;
    }

    /// <summary>A cluster's key ring sits in the same database as the sealed signing keys: say so at every start until it is sealed.</summary>
    public static void WarnAtStartIfUnsealed(this IServiceCollection services) => services.AddHostedService<UnsealedKeyRingWarning>();

    private static X509Certificate2 Load(IConfiguration section, string name)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            throw new InvalidOperationException($"{name}:Path names no readable file ({path}).");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException($"{name}: {path} is not a PKCS#12 file this password opens ({exception.Message}).", exception);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{name}: {path} holds no private key; the key ring could not be unsealed with it.");
        return certificate;
    }

    private sealed partial class UnsealedKeyRingWarning(ILogger<UnsealedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnsealed(logger, $"{Section}:Certificate:Path");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
            Message = "The Data Protection key ring that seals the signing keys is stored unencrypted in the cluster's database: whoever reads the database can sign tokens. Set {Setting} to a certificate kept outside it")]
        private static partial void LogUnsealed(ILogger logger, string setting);
    }
}
