using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster;

/// <summary>The operator verbs as an operator runs them: the built Silo binary, PostgreSQL settings, a running cluster.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class OperatorVerbTests(LocalCluster cluster)
{
    [Fact]
    public async Task RevokeUser_FromTheSiloBinary_IsEffectiveOnBothApiHosts()
    {
        using var a = cluster.Client(0);
        using var b = cluster.Client(1);
        var (userId, username, tokens) = await ClusterFaultTests.Retry503(() => a.NewUser());
        var onB = await b.Login(username);

        var (exitCode, output) = await cluster.Operator($"revoke-user --username {username}");

        Assert.True(exitCode == 0, output);
        Assert.Contains(userId, output);
        Assert.Equal(HttpStatusCode.Unauthorized, await a.StatusOf(a.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await b.StatusOf(b.Get("/me", onB.AccessToken)));
    }

    [Fact]
    public async Task Probe_ReadySiloAndApiHost_Returns0_NothingListening_Returns1()
    {
        // Readiness may lag the cluster coming up (a host reaches ready on its own time), so poll with a deadline.
        (int ExitCode, string Output) silo = default, api = default;
        await Eventually.Succeeds(async () => (silo = await cluster.Operator($"probe http://127.0.0.1:{cluster.SiloHttpPort(1)}/health/ready")).ExitCode == 0,
            TimeSpan.FromSeconds(60), "the silo probe");
        await Eventually.Succeeds(async () => (api = await cluster.Operator($"probe {cluster.Api(1)}health/ready")).ExitCode == 0,
            TimeSpan.FromSeconds(60), "the API host probe");
        var nothing = await cluster.Operator($"probe http://127.0.0.1:{FreePorts.Next()}/health/ready");

        Assert.Contains("answered 200", silo.Output);
        Assert.Contains("answered 200", api.Output);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("did not answer", nothing.Output);
    }
}
