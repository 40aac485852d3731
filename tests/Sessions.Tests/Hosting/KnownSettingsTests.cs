using System.Reflection;
using Microsoft.Extensions.Configuration;
using Sessions.Api;
using Sessions.Api.Observability;
using Sessions.Grains;
using Sessions.Grains.Fencing;

namespace Sessions.Tests.Hosting;

public sealed class KnownSettingsTests
{
    private static IConfiguration Configuration(params string[] keys) =>
        new ConfigurationBuilder().AddInMemoryCollection(keys.Select(k => new KeyValuePair<string, string?>(k, "x"))).Build();

    [Theory]
    [InlineData("Sessions:IdleTimeout")]
    [InlineData("sessions:idletimeout")]
    [InlineData("Sessions:DataProtection:PreviousCertificates:3:Path")]
    [InlineData("Sessions:ResourceServers:billing:Secret")]
    [InlineData("Sessions:Gateway:Routes:orders:Match:Path")]
    [InlineData("Cluster:Membership:ProbeTimeout")]
    [InlineData("Sessions:PasswordHashing:Iterations")]
    public void IsKnown_ASettingSessionsReads_IsTrue(string key) => Assert.True(KnownSettings.IsKnown(key));

    [Theory]
    [InlineData("Sessions:IdleTimeOut:Extra")]
    [InlineData("Sessions:Idle")]
    [InlineData("Sessions:ResourceServers:billing:Password")]
    [InlineData("Sessions:DataProtection:Certificate")]
    [InlineData("Sessions:Gateway")]
    [InlineData("Cluster:Fence:Length")]
    public void IsKnown_AnyOtherKey_IsFalse(string key) => Assert.False(KnownSettings.IsKnown(key));

    [Fact]
    public void Unknown_KeysOutsideSessionsAndCluster_AreNotJudged()
    {
        var configuration = Configuration("Logging:LogLevel:Default", "Kestrel:Endpoints:http:Url", "Orleans:Whatever", "urls");

        Assert.Empty(KnownSettings.Unknown(configuration));
    }

    [Fact]
    public void RejectUnknown_TwoTypos_NamesBothOnTheirOwnLines()
    {
        var configuration = Configuration("Sessions:Issuer", "Sessions:Audiance", "Cluster:GatewayPrt");

        var failure = Assert.Throws<InvalidOperationException>(() => KnownSettings.RejectUnknown(configuration));

        Assert.Equal(
            "Cluster:GatewayPrt is not a setting of Sessions (misspelt? README, \"Configuration\", lists them)." + Environment.NewLine +
            "Sessions:Audiance is not a setting of Sessions (misspelt? README, \"Configuration\", lists them).",
            failure.Message);
    }

    [Fact]
    public void Keys_CoverEverySettingOfTheOptionsTypes()
    {
        var paths = Paths("Sessions", typeof(SessionsTokenOptions))
            .Concat(Paths("Sessions", typeof(SessionsSiloOptions)))
            .Concat(Paths("Sessions", typeof(SessionsApiOptions)))
            .Concat(Paths(TelemetryOptions.SectionName, typeof(TelemetryOptions)))
            .Concat(Paths(ManagementOptions.SectionName, typeof(ManagementOptions)))
            .Concat(Paths(FenceOptions.SectionName, typeof(FenceOptions)))
            .Concat(Paths(ClusterSettings.SectionName, typeof(ClusterSettings)).Where(p => p != "Cluster:ConnectionString"));

        Assert.DoesNotContain(paths, p => !KnownSettings.IsKnown(p));
    }

    // What the configuration binder fills: public settable properties, and those of nested settings classes.
    private static IEnumerable<string> Paths(string section, Type type) =>
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where property.CanWrite
        let path = $"{section}:{property.Name}"
        from leaf in property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.PropertyType != typeof(Uri)
            ? Paths(path, property.PropertyType)
            : [path]
        select leaf;
}
