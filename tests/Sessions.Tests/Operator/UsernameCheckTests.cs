using System.Net;
using Sessions.Grains;
using Sessions.Silo.Operator;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Operator;

/// <summary>
/// `check-usernames` against the test service's store. Accounts of the old rules are made by registering straight
/// under an old-style key (lower case, no NFKC), as the service used to.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UsernameCheckTests(SessionsApp app)
{
    private async Task<(int ExitCode, string Output)> Run(params string[] args)
    {
        using var client = app.NewClient(); // starts the service if no test has yet
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OperatorCli.RunAsync(
            ["check-usernames", .. args, $"--Cluster:GatewayPort={app.GatewayPort}", $"--Sessions:DataDirectory={app.DataDirectory}"], output, error, new StringReader(""));
        return (exitCode, output.ToString() + error);
    }

    private async Task<string> LegacyAccount(string oldKey) =>
        (await app.Grains.GetGrain<IUsernameGrain>(oldKey).Register(oldKey, SessionsClient.Password, [])).UserId!;

    [Fact]
    public async Task CheckUsernames_OldAccountSharingANewKey_IsReportedAndBothStillLogIn()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var legacyId = await LegacyAccount("stra\u00DFe" + suffix); // straße, a separate account under the old rules
        using var client = app.NewClient();
        var currentId = await client.Register("strasse" + suffix);

        var (exitCode, output) = await Run();

        Assert.Equal(5, exitCode);
        Assert.Contains($"check-usernames: same name under the new rules, key \"strasse{suffix}\": \"strasse{suffix}\" (user {currentId}), \"stra\u00DFe{suffix}\" (user {legacyId})", output);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", (await client.Login("strasse" + suffix)).AccessToken)));
        Assert.Equal(legacyId, await app.Grains.GetGrain<IUsernameGrain>("stra\u00DFe" + suffix).GetUserId());
    }

    [Fact]
    public async Task CheckUsernames_OldFullWidthAccount_IsReportedAsUnreached()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var legacyId = await LegacyAccount("\uFF42\uFF4F\uFF42" + suffix); // ｂｏｂ

        var (_, output) = await Run();

        Assert.Contains($"check-usernames: not reached by login, \"\uFF42\uFF4F\uFF42{suffix}\" (user {legacyId}) is looked up as \"bob{suffix}\" now", output);
    }

    [Fact]
    public async Task CheckUsernames_Reindex_LetsTheOldFullWidthAccountLogInByItsName()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var legacyId = await LegacyAccount("\uFF43\uFF41\uFF52\uFF4F\uFF4C" + suffix); // ｃａｒｏｌ

        var (_, output) = await Run("--reindex");

        Assert.Contains($"check-usernames: reindexed \"\uFF43\uFF41\uFF52\uFF4F\uFF4C{suffix}\" (user {legacyId}) under \"carol{suffix}\"", output);
        using var client = app.NewClient();
        var tokens = await client.Login("\uFF23\uFF21\uFF32\uFF2F\uFF2C" + suffix); // ＣＡＲＯＬ
        var me = await SessionsClient.Json(await client.Get("/me", tokens.AccessToken));
        Assert.Equal(legacyId, me.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task CheckUsernames_OldLookalikeAccounts_AreReportedWithTheirSkeleton()
    {
        // Letters only, each its own skeleton (digits are not: 0 has the skeleton O, 1 has l).
        var suffix = string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => char.IsAsciiDigit(c) ? "qrstuvwxyz"[c - '0'] : c));
        using var client = app.NewClient();
        var latinId = await client.Register("paypal" + suffix);
        // A look-alike from before skeletons were indexed: adopted names skip the skeleton refusal, as old ones did.
        var cyrillicId = await client.Register("other" + suffix);
        Assert.True(await app.Grains.GetGrain<IUsernameGrain>("p\u0430ypal" + suffix).Adopt(cyrillicId));

        var (_, output) = await Run();

        Assert.Contains($"check-usernames: look-alike names, confusable skeleton \"paypal{suffix}\": \"paypal{suffix}\" (user {latinId}), \"p\u0430ypal{suffix}\" (user {cyrillicId})", output);
    }
}
