using System.CommandLine;
using Sessions.Api.Endpoints;
using Npgsql;
using Sessions.Grains;
using Sessions.Silo.Database;

namespace Sessions.Silo.Operator;

/// <summary>
/// The Silo host's verbs for operators, for when the HTTP API is not the right door: before any admin exists, from a
/// maintenance shell, or in a script. All but migrate act through the running cluster as an Orleans client, so the
/// grains decide exactly as they do for HTTP calls. Settings (Cluster:*, ConnectionStrings:Sessions) come from
/// appsettings, the environment and --Key=value arguments, as for the silo itself.
/// </summary>
internal static class OperatorCli
{
    public const string PasswordVariable = "SESSIONS_ADMIN_PASSWORD";
    private static readonly string[] Verbs = [MigrateCommand.Verb, HealthProbe.Verb, "create-admin", "revoke-user", "rotate-keys", "retire-key", UsernameCheck.Verb];

    public static bool Handles(string[] args) => args is [var verb, ..] && (Verbs.Contains(verb) || verb is "--help" or "-h" or "-?");

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Sessions silo host. With no verb it runs the silo (and, unless Sessions:ServeApi=false, the HTTP API).")
        {
            Migrate(output, error),
            Probe(output),
            CreateAdmin(output, error, input),
            RevokeUser(output, error),
            RotateKeys(output, error),
            RetireKey(output, error),
            CheckUsernames(output, error),
        };
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static Command Migrate(TextWriter output, TextWriter error)
    {
        var command = Lenient(new Command(MigrateCommand.Verb, "Applies the PostgreSQL schema to ConnectionStrings:Sessions (idempotent; takes an advisory lock)."));
        command.SetAction((parsed, cancellationToken) => MigrateCommand.RunAsync(Configuration(parsed), output, error, cancellationToken));
        return command;
    }

    private static Command Probe(TextWriter output)
    {
        var url = new Argument<string>("url") { Description = "The URL to probe.", DefaultValueFactory = _ => HealthProbe.DefaultUrl };
        var command = new Command(HealthProbe.Verb, "Exits 0 if the URL answers 2xx within five seconds (for container healthchecks).") { url };
        command.SetAction((parsed, _) => HealthProbe.RunAsync(parsed.GetValue(url), output));
        return command;
    }

    private static Command CreateAdmin(TextWriter output, TextWriter error, TextReader input)
    {
        var username = new Option<string>("--username") { Description = "The new admin's username.", Required = true };
        var fromStdin = new Option<bool>("--password-stdin") { Description = $"Read the password from the first line of stdin (else from ${PasswordVariable})." };
        var command = Lenient(new Command("create-admin", "Creates an account with role admin. The password is never taken from the command line.") { username, fromStdin });
        command.SetAction((parsed, cancellationToken) => WithCluster(parsed, error, async grains =>
        {
            var password = parsed.GetValue(fromStdin) ? await input.ReadLineAsync(cancellationToken) : Environment.GetEnvironmentVariable(PasswordVariable);
            if (Username.Normalize(parsed.GetValue(username)) is not { } name)
                return await Fail(error, "create-admin: the username must be 3 to 64 characters of letters, digits and ._-@", 2);
            if (string.IsNullOrEmpty(password))
                return await Fail(error, $"create-admin: no password; pass --password-stdin or set {PasswordVariable}.", 2);
            if (PasswordPolicy.Check(password) is { } problem)
                return await Fail(error, $"create-admin: {problem}", 2);
            var outcome = await grains.GetGrain<IUsernameGrain>(Username.ToKey(name)!).Register(name, password, ["admin"], cancellationToken);
            if (!outcome.Created)
                return await Fail(error, outcome.LooksLikeAnother
                    ? $"create-admin: the username {name} looks like one that is taken (Unicode confusables)."
                    : $"create-admin: the username {name} is taken.", 4);
            await output.WriteLineAsync($"create-admin: created admin {outcome.Username} with user id {outcome.UserId}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command RevokeUser(TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The user's username." };
        var userId = new Option<string>("--user-id") { Description = "The user's id." };
        var command = Lenient(new Command("revoke-user", "Ends every session of a user and rejects every token issued to them so far.") { username, userId });
        command.Validators.Add(result =>
        {
            if ((result.GetValue(username) is null) == (result.GetValue(userId) is null))
                result.AddError("Give exactly one of --username and --user-id.");
        });
        command.SetAction((parsed, cancellationToken) => WithCluster(parsed, error, async grains =>
        {
            var id = parsed.GetValue(userId);
            if (parsed.GetValue(username) is { } name)
                id = Username.ToKey(name) is { } key ? await grains.GetGrain<IUsernameGrain>(key).GetUserId(cancellationToken) : null;
            if (id is null || !Ids.IsValid(id) || await grains.GetGrain<IUserGrain>(id).GetAccount(cancellationToken) is null)
                return await Fail(error, "revoke-user: no such user.", 4);
            await grains.GetGrain<IUserGrain>(id).RevokeAll(cancellationToken);
            await output.WriteLineAsync($"revoke-user: every session and token of user {id} is revoked");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command RotateKeys(TextWriter output, TextWriter error)
    {
        var command = Lenient(new Command("rotate-keys", "Signs new tokens with a new key; older keys verify until their tokens expire."));
        command.SetAction((parsed, cancellationToken) => WithCluster(parsed, error, async grains =>
        {
            var kid = await grains.GetGrain<IKeyRingGrain>(0).Rotate(cancellationToken);
            await output.WriteLineAsync($"rotate-keys: new tokens are signed with {kid}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command RetireKey(TextWriter output, TextWriter error)
    {
        var kid = new Option<string>("--kid") { Description = "The key to retire.", Required = true };
        var command = Lenient(new Command("retire-key", "Retires a signing key at once, cluster-wide: every token it signed is rejected.") { kid });
        command.SetAction((parsed, cancellationToken) => WithCluster(parsed, error, async grains =>
        {
            var value = parsed.GetValue(kid)!;
            if (value.Length > 64 || !await grains.GetGrain<IKeyRingGrain>(0).Retire(value, cancellationToken))
                return await Fail(error, "retire-key: no signing key in use has that kid.", 4);
            await output.WriteLineAsync($"retire-key: {value} is retired");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command CheckUsernames(TextWriter output, TextWriter error)
    {
        var reindex = new Option<bool>("--reindex") { Description = "Point each name no login reaches any more at its account, where nobody else has the new key." };
        var command = Lenient(new Command(UsernameCheck.Verb,
            "Reports usernames that collide (same key or look-alike) under the Unicode rules, and names logins no longer reach. Never merges or locks out.") { reindex });
        command.SetAction((parsed, cancellationToken) => WithCluster(parsed, error, async grains =>
        {
            try
            {
                return await UsernameCheck.RunAsync(Configuration(parsed), grains, parsed.GetValue(reindex), output, cancellationToken);
            }
            catch (Exception exception) when (exception is FileNotFoundException or NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
            {
                return await Fail(error, $"{UsernameCheck.Verb}: could not read the stored usernames ({exception.Message})", 3);
            }
        }, cancellationToken));
        return command;
    }

    private static async Task<int> WithCluster(ParseResult parsed, TextWriter error, Func<IGrainFactory, Task<int>> action, CancellationToken cancellationToken)
    {
        ClusterConnection connection;
        try
        {
            connection = await ClusterConnection.OpenAsync(Configuration(parsed), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return await Fail(error, $"{parsed.CommandResult.Command.Name}: could not reach the cluster ({exception.GetType().Name}: {exception.Message}). Is a silo running with the same Cluster settings?", 3);
        }
        // Audited like an admin's HTTP call, with the operator's account and host as the actor (there is no client address).
        AuditContext.Set(clientIp: null, actor: $"operator-cli:{Environment.UserName}@{Environment.MachineName}");
        await using (connection)
            return await action(connection.Grains);
    }

    /// <summary>Tokens the verb does not know are configuration, as for the silo: --Cluster:GatewayPort=30001.</summary>
    private static IConfiguration Configuration(ParseResult parsed) =>
        WebApplication.CreateBuilder([.. parsed.UnmatchedTokens]).Configuration;

    private static Command Lenient(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        return command;
    }

    private static async Task<int> Fail(TextWriter error, string message, int exitCode)
    {
        await error.WriteLineAsync(message);
        return exitCode;
    }
}
