using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Sessions.Grains.Storage;

/// <summary>
/// Grain state in one SQLite file: the single-process default that needs no database server.
/// Every write is checked against the stored ETag, so a stale activation cannot overwrite newer state.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private readonly string _connectionString;
    private readonly IGrainStorageSerializer _serializer;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    // SQLite takes one writer at a time. Writers queue here, without holding a thread: left to meet SQLITE_BUSY,
    // Microsoft.Data.Sqlite retries by blocking the calling thread 150 ms at a time (Thread.Sleep), and that
    // thread is an Orleans scheduler thread, so a burst of logins stalled grain turns for seconds.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _initialized;

    public SqliteGrainStorage(string databasePath, IGrainStorageSerializer serializer)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _serializer = serializer;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        AddKey(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            grainState.State = _serializer.Deserialize<T>(new BinaryData(reader.GetFieldValue<byte[]>(1)))!;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.State = Activator.CreateInstance<T>();
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        await _writeLock.WaitAsync();
        try
        {
            await WriteAsync(stateName, grainId, grainState, payload);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _writeLock.WaitAsync();
        try
        {
            await ClearAsync(stateName, grainId, grainState);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[] payload)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        AddKey(command, stateName, grainId);
        command.Parameters.AddWithValue("$payload", payload);
        long newEtag;
        if (grainState.ETag is null)
        {
            newEtag = 1;
            command.CommandText = "INSERT INTO grain_state (state_name, grain_id, etag, payload) VALUES ($state, $grain, 1, $payload) ON CONFLICT DO NOTHING";
        }
        else
        {
            var etag = ParseEtag(grainState.ETag);
            newEtag = etag + 1;
            command.CommandText = "UPDATE grain_state SET etag = etag + 1, payload = $payload WHERE state_name = $state AND grain_id = $grain AND etag = $etag";
            command.Parameters.AddWithValue("$etag", etag);
        }
        if (await command.ExecuteNonQueryAsync() != 1)
            throw await ConflictAsync(connection, stateName, grainId, grainState.ETag);
        grainState.ETag = newEtag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    private async Task ClearAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        AddKey(command, stateName, grainId);
        if (grainState.ETag is null)
        {
            // Nothing to delete only if nothing was written since this activation read an empty record.
            command.CommandText = "SELECT count(*) FROM grain_state WHERE state_name = $state AND grain_id = $grain";
            if ((long)(await command.ExecuteScalarAsync())! != 0)
                throw await ConflictAsync(connection, stateName, grainId, null);
        }
        else
        {
            command.CommandText = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $etag";
            command.Parameters.AddWithValue("$etag", ParseEtag(grainState.ETag));
            if (await command.ExecuteNonQueryAsync() != 1)
                throw await ConflictAsync(connection, stateName, grainId, grainState.ETag);
        }
        grainState.ETag = null;
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InconsistentStateException($"ETag '{etag}' was not written by this storage.", null, etag, null);

    private static async Task<InconsistentStateException> ConflictAsync(SqliteConnection connection, string stateName, GrainId grainId, string? expected)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        AddKey(command, stateName, grainId);
        var stored = await command.ExecuteScalarAsync() is long etag ? etag.ToString(CultureInfo.InvariantCulture) : null;
        return new InconsistentStateException(
            $"State '{stateName}' of {grainId} changed underneath this activation (expected ETag '{expected ?? "none"}', stored '{stored ?? "none"}').",
            stored, expected, null);
    }

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        if (!_initialized)
            await InitializeAsync();
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        // Per connection, not stored in the file: every commit is synced before it is acknowledged.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = FULL";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    // Retried on the next call if it fails (a full disk, a locked file), instead of failing forever.
    private async Task InitializeAsync()
    {
        await _initializeLock.WaitAsync();
        try
        {
            if (_initialized)
                return;
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = Schema;
            await command.ExecuteNonQueryAsync();
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    // WAL lets reads run beside the single writer.
    private const string Schema = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                etag INTEGER NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            """;
}
