using Microsoft.AspNetCore.DataProtection;
using Sessions.Grains;

namespace Sessions.Silo;

internal static class SiloHosting
{
    /// <summary>
    /// A silo with localhost clustering and durable embedded storage: SQLite and Data Protection keys in one data folder.
    /// </summary>
    public static WebApplicationBuilder AddSessionsSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var dataDirectory = Path.GetFullPath(configuration["Sessions:DataDirectory"] ?? "data", builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);

        // Protects the signing keys at rest. Production clusters should also protect these with a certificate or KMS.
        builder.Services.AddDataProtection()
            .SetApplicationName("Sessions")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "data-protection-keys")));

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(
                siloPort: configuration.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: configuration.GetValue("Orleans:GatewayPort", 30000))
            .AddSessionsGrains()
            .AddSqliteGrainStorage(SessionsStorage.Name, Path.Combine(dataDirectory, "sessions.db")));
        return builder;
    }
}
