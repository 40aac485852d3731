using Microsoft.Data.Sqlite;
using Npgsql;
using Sessions.Grains;

namespace Sessions.Silo.Operator;

/// <summary>
/// `check-usernames`: the migration aid for the Unicode username rules. Accounts made before them are indexed under
/// keys the old rules built (lower case only, no NFKC), so some names now collide with another account (same new key)
/// or look like one (same UTS #39 skeleton), and some are indexed under a key no login reaches any more. The verb
/// reads the stored index, reports all three to the operator, and with --reindex points each unreached name's new
/// key at its account when nobody else has that key. It never merges, renames, disables or locks out an account.
/// </summary>
internal static class UsernameCheck
{
    public const string Verb = "check-usernames";

    public static async Task<int> RunAsync(IConfiguration configuration, IGrainFactory grains, bool reindex, TextWriter output, CancellationToken cancellationToken)
    {
        var storedKeys = await ReadStoredKeysAsync(configuration, cancellationToken);
        var names = new List<(string StoredKey, string NewKey, string Skeleton, string UserId)>();
        foreach (var storedKey in storedKeys)
        {
            if (await grains.GetGrain<IUsernameGrain>(storedKey).GetUserId(cancellationToken) is not { } userId)
                continue;
            var newKey = Username.ToKey(storedKey) ?? storedKey; // a name the new rules refuse keeps its old key
            names.Add((storedKey, newKey, Username.Skeleton(newKey), userId));
        }
        var findings = 0;
        foreach (var group in names.GroupBy(n => n.NewKey).Where(g => g.Count() > 1).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            findings++;
            await output.WriteLineAsync($"{Verb}: same name under the new rules, key \"{group.Key}\": {Describe(group)}");
        }
        foreach (var group in names.GroupBy(n => n.Skeleton).Where(g => g.Select(n => n.NewKey).Distinct().Count() > 1).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            findings++;
            await output.WriteLineAsync($"{Verb}: look-alike names, confusable skeleton \"{group.Key}\": {Describe(group)}");
        }
        var taken = names.Select(n => n.StoredKey).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => n.NewKey != n.StoredKey).OrderBy(n => n.StoredKey, StringComparer.Ordinal))
        {
            if (taken.Contains(name.NewKey) || names.Count(n => n.NewKey == name.NewKey) > 1)
                continue; // reported above as a collision: the operator decides
            if (reindex && await grains.GetGrain<IUsernameGrain>(name.NewKey).Adopt(name.UserId, cancellationToken))
            {
                await output.WriteLineAsync($"{Verb}: reindexed \"{name.StoredKey}\" (user {name.UserId}) under \"{name.NewKey}\"");
                continue;
            }
            findings++;
            await output.WriteLineAsync($"{Verb}: not reached by login, \"{name.StoredKey}\" (user {name.UserId}) is looked up as \"{name.NewKey}\" now; --reindex points that key at it");
        }
        await output.WriteLineAsync($"{Verb}: {names.Count} names checked, {findings} to look at");
        return findings == 0 ? 0 : 5;
    }

    private static string Describe(IEnumerable<(string StoredKey, string NewKey, string Skeleton, string UserId)> names) =>
        string.Join(", ", names.OrderBy(n => n.StoredKey, StringComparer.Ordinal).Select(n => $"\"{n.StoredKey}\" (user {n.UserId})"));

    /// <summary>The keys of every stored username grain, straight from the store the silos use.</summary>
    internal static async Task<List<string>> ReadStoredKeysAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var cluster = ClusterSettings.Read(configuration);
        if (cluster.UsesPostgres)
        {
            await using var connection = new NpgsqlConnection(cluster.PostgresConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT grain_id_extension FROM orleans_grain_state WHERE grain_type = 'username' AND payload IS NOT NULL", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                keys.Add(KeyOf(reader.GetString(0)));
            return keys;
        }
        var dataDirectory = Path.GetFullPath(configuration.ReadSettings<SessionsSiloOptions>(SessionsSiloOptions.SectionName).DataDirectory);
        var database = Path.Combine(dataDirectory, "sessions.db");
        if (!File.Exists(database))
            throw new FileNotFoundException($"No grain state at {database}; set Sessions:DataDirectory as for the silo.");
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString()))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT grain_id FROM grain_state WHERE state_name = 'username'";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                keys.Add(KeyOf(reader.GetString(0)));
        }
        return keys;
    }

    // A stored grain id is "username/<key>"; usernames hold no '/', so the key is everything after the first one.
    private static string KeyOf(string grainId) => grainId.IndexOf('/') is var slash and >= 0 ? grainId[(slash + 1)..] : grainId;
}
