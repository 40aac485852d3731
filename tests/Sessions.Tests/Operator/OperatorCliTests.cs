using System.Net;
using Sessions.Silo.Operator;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Operator;

/// <summary>The silo host's operator verbs, run in-process as a real Orleans client of the test service's gateway.</summary>
[Collection(AppCollection.Name)]
public sealed class OperatorCliTests(SessionsApp app)
{
    private async Task<(int ExitCode, string Output, string Error)> Run(string stdin, params string[] args)
    {
        using var client = app.NewClient(); // starts the service if no test has yet
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OperatorCli.RunAsync([.. args, $"--Cluster:GatewayPort={app.GatewayPort}"], output, error, new StringReader(stdin));
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task CreateAdmin_WithPasswordOnStdin_CreatesAnAdminWhoCanUseAdminRoutes()
    {
        var username = SessionsClient.NewUsername();

        var (exitCode, output, _) = await Run("operator-password-1\n", "create-admin", "--username", username, "--password-stdin");

        Assert.Equal(0, exitCode);
        Assert.Matches($"^create-admin: created admin {username} with user id [0-9a-f]{{32}}$", output.Trim());
        using var client = app.NewClient();
        var tokens = await client.Login(username, "operator-password-1");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get($"/admin/users?username={username}", tokens.AccessToken)));
    }

    [Fact]
    public async Task CreateAdmin_TakenUsername_Returns4AndChangesNothing()
    {
        using var client = app.NewClient();
        var (_, username, _) = await client.NewUser();

        var (exitCode, _, error) = await Run("operator-password-1\n", "create-admin", "--username", username, "--password-stdin");

        Assert.Equal(4, exitCode);
        Assert.Contains("is taken", error);
        // The existing account keeps its password and gains no role.
        var tokens = await client.Login(username);
        Assert.Equal(HttpStatusCode.Forbidden, await client.StatusOf(client.Get($"/admin/users?username={username}", tokens.AccessToken)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short\n")]
    public async Task CreateAdmin_MissingOrWeakPassword_Returns2AndCreatesNothing(string stdin)
    {
        var username = SessionsClient.NewUsername();

        var (exitCode, _, _) = await Run(stdin, "create-admin", "--username", username, "--password-stdin");

        Assert.Equal(2, exitCode);
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Get($"/admin/users?username={username}", admin.AccessToken)));
    }

    [Fact]
    public async Task RevokeUser_ByUsername_RejectsTheUsersTokenOnTheNextRequest()
    {
        using var client = app.NewClient();
        var (userId, username, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        var (exitCode, output, _) = await Run("", "revoke-user", "--username", username);

        Assert.Equal(0, exitCode);
        Assert.Contains(userId, output);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(tokens.RefreshToken)));
    }

    [Fact]
    public async Task RevokeUser_ById_RejectsTheUsersToken()
    {
        using var client = app.NewClient();
        var (userId, _, tokens) = await client.NewUser();

        var (exitCode, _, _) = await Run("", "revoke-user", "--user-id", userId);

        Assert.Equal(0, exitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
    }

    [Theory]
    [InlineData("--username", "nobody-by-this-name")]
    [InlineData("--user-id", "0123456789abcdef0123456789abcdef")]
    [InlineData("--user-id", "../../not-an-id")]
    public async Task RevokeUser_UnknownUser_Returns4(string option, string value)
    {
        var (exitCode, _, error) = await Run("", "revoke-user", option, value);

        Assert.Equal(4, exitCode);
        Assert.Contains("no such user", error);
    }

    [Fact]
    public async Task RevokeUser_WithoutAUser_IsAUsageError()
    {
        var (exitCode, _, error) = await Run("", "revoke-user");

        Assert.Equal(1, exitCode);
        Assert.Contains("exactly one of --username and --user-id", error);
    }

    [Fact]
    public async Task RotateKeys_ThenRetireKey_ChangesTheKeySetServedByTheApi()
    {
        using var client = app.NewClient();

        var (rotated, rotateOutput, _) = await Run("", "rotate-keys");
        var kid = rotateOutput.Trim().Split(' ')[^1];
        var afterRotate = await Kids(client);
        var (retired, _, _) = await Run("", "retire-key", "--kid", kid);
        var afterRetire = await Kids(client);

        Assert.Equal(0, rotated);
        Assert.Contains(kid, afterRotate);
        Assert.Equal(0, retired);
        Assert.DoesNotContain(kid, afterRetire);
    }

    [Fact]
    public async Task RetireKey_UnknownKid_Returns4()
    {
        var (exitCode, _, error) = await Run("", "retire-key", "--kid", "no-such-kid");

        Assert.Equal(4, exitCode);
        Assert.Contains("no signing key in use has that kid", error);
    }

    [Fact]
    public async Task Verb_WithNoClusterListening_Returns3WithTheReason()
    {
        using var error = new StringWriter();

        var exitCode = await OperatorCli.RunAsync(["rotate-keys", $"--Cluster:GatewayPort={FreePorts.Next()}"], TextWriter.Null, error, TextReader.Null);

        Assert.Equal(3, exitCode);
        Assert.Contains("could not reach the cluster", error.ToString());
    }

    [Theory]
    [InlineData("not a url", 2)]
    [InlineData("ftp://127.0.0.1/health/ready", 2)]
    public async Task Probe_NotAnHttpUrl_Returns2(string url, int expected)
    {
        Assert.Equal(expected, await OperatorCli.RunAsync(["probe", url], TextWriter.Null, TextWriter.Null, TextReader.Null));
    }

    [Fact]
    public async Task Probe_NothingListening_Returns1()
    {
        var exitCode = await OperatorCli.RunAsync(["probe", $"http://127.0.0.1:{FreePorts.Next()}/health/ready"], TextWriter.Null, TextWriter.Null, TextReader.Null);

        Assert.Equal(1, exitCode);
    }

    private static async Task<string[]> Kids(SessionsClient client)
    {
        using var response = await client.Get("/.well-known/jwks.json", accessToken: null);
        return (await SessionsClient.Json(response)).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToArray();
    }
}
