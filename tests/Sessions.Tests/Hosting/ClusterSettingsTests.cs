using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Sessions.Tests.Hosting;

public sealed class ClusterSettingsTests
{
    private static ClusterSettings Read(params (string Key, string Value)[] settings) => ClusterSettings.Read(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Read_NothingSet_IsTheSingleProcessDefault()
    {
        var cluster = Read();

        Assert.False(cluster.UsesPostgres);
        Assert.Equal(("sessions", "sessions", 11111, 30000), (cluster.ClusterId, cluster.ServiceId, cluster.SiloPort, cluster.GatewayPort));
        Assert.Equal(TimeSpan.FromSeconds(5), cluster.GatewayListRefreshPeriod);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("postgresql")]
    public void Read_PostgresWithConnectionString_UsesIt(string provider)
    {
        var cluster = Read(("Cluster:Provider", provider), ("ConnectionStrings:Sessions", "Host=db"));

        Assert.True(cluster.UsesPostgres);
        Assert.Equal("Host=db", cluster.PostgresConnectionString);
    }

    [Fact]
    public void Read_PostgresWithoutConnectionString_FailsNamingBoth()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Read(("Cluster:Provider", "Postgres")));

        Assert.Equal(["Cluster:Provider is Postgres but ConnectionStrings:Sessions is not set."], failure.Failures);
    }

    [Fact]
    public void Read_BadValues_FailsWithEveryOneNamed()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Read(
            ("Cluster:AdvertisedIP", "silo-1"), ("Cluster:GatewayPort", "0"), ("Cluster:ClusterId", " "), ("Cluster:GatewayListRefreshPeriod", "00:00:00")));

        Assert.Equal([
            "Cluster:ClusterId must not be empty.",
            "Cluster:AdvertisedIP must be an IP address, not 'silo-1'.",
            "Cluster:GatewayPort must be a port number (1-65535).",
            "Cluster:GatewayListRefreshPeriod must be positive.",
        ], failure.Failures);
    }
}
