using Microsoft.Extensions.Configuration;

namespace Sessions.Tests.Doors;

/// <summary>
/// A configuration source whose whole content a test replaces at run time, raising the same reload signal a
/// changed appsettings.json file raises, without the file watcher's timing.
/// </summary>
public sealed class ReloadableSettings : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Replace(IReadOnlyDictionary<string, string?> settings)
    {
        Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }
}
