using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains.Storage;
using Sessions.Grains.Users;

namespace Sessions.Tests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private const string StateName = "user";

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sessions-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly GrainId _grainId = GrainId.Create("user", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "grains.db");

    [Fact]
    public async Task ReadStateAsync_NoRecord_ReturnsDefaultStateWithoutETag()
    {
        var storage = NewStorage();

        var read = await Read<UserState>(storage);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Null(read.State.Username);
    }

    [Fact]
    public async Task WriteStateAsync_ThenRead_RoundTripsStateAndETag()
    {
        var storage = NewStorage();
        var written = new StoredState<UserState>(new UserState { Username = "alice", PasswordHash = "hash", Roles = ["admin"] });

        await storage.WriteStateAsync(StateName, _grainId, written);
        var read = await Read<UserState>(storage);

        Assert.True(written.RecordExists);
        Assert.Equal("1", written.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("1", read.ETag);
        Assert.Equal("alice", read.State.Username);
        Assert.Equal("hash", read.State.PasswordHash);
        Assert.Equal(["admin"], read.State.Roles);
    }

    [Fact]
    public async Task WriteStateAsync_Twice_IncrementsETag()
    {
        var storage = NewStorage();
        var state = new StoredState<UserState>(new UserState { Username = "alice" });
        await storage.WriteStateAsync(StateName, _grainId, state);

        state.State.Username = "bob";
        await storage.WriteStateAsync(StateName, _grainId, state);

        var read = await Read<UserState>(storage);
        Assert.Equal("2", state.ETag);
        Assert.Equal("2", read.ETag);
        Assert.Equal("bob", read.State.Username);
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentStateAndKeepsNewerState()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "first" }));
        var fresh = await Read<UserState>(storage);
        var stale = await Read<UserState>(storage);
        fresh.State.Username = "fresh";
        await storage.WriteStateAsync(StateName, _grainId, fresh);

        stale.State.Username = "stale";
        var exception = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grainId, stale));

        Assert.Equal("2", exception.StoredEtag);
        Assert.Equal("1", exception.CurrentEtag);
        Assert.Equal("fresh", (await Read<UserState>(storage)).State.Username);
    }

    [Fact]
    public async Task WriteStateAsync_InsertWhenRecordExists_ThrowsInconsistentState()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "first" }));

        var second = new StoredState<UserState>(new UserState { Username = "second" });
        var exception = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grainId, second));

        Assert.Equal("1", exception.StoredEtag);
        Assert.Null(second.ETag);
        Assert.Equal("first", (await Read<UserState>(storage)).State.Username);
    }

    [Fact]
    public async Task WriteStateAsync_SameGrainOtherStateName_IsSeparateRecord()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "user" }));

        await storage.WriteStateAsync("other", _grainId, new StoredState<UserState>(new UserState { Username = "other" }));

        Assert.Equal("user", (await Read<UserState>(storage)).State.Username);
    }

    [Fact]
    public async Task ClearStateAsync_ThenRead_ReturnsNoRecordAndDefaultState()
    {
        var storage = NewStorage();
        var state = new StoredState<UserState>(new UserState { Username = "alice" });
        await storage.WriteStateAsync(StateName, _grainId, state);

        await storage.ClearStateAsync(StateName, _grainId, state);
        var read = await Read<UserState>(storage);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Null(state.State.Username);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Null(read.State.Username);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsInconsistentStateAndKeepsRecord()
    {
        var storage = NewStorage();
        var stale = new StoredState<UserState>(new UserState { Username = "first" });
        await storage.WriteStateAsync(StateName, _grainId, stale);
        var fresh = await Read<UserState>(storage);
        fresh.State.Username = "fresh";
        await storage.WriteStateAsync(StateName, _grainId, fresh);

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, _grainId, stale));

        Assert.Equal("2", exception.StoredEtag);
        var read = await Read<UserState>(storage);
        Assert.True(read.RecordExists);
        Assert.Equal("fresh", read.State.Username);
    }

    [Fact]
    public async Task ClearStateAsync_NoETagWhenRecordExists_ThrowsInconsistentStateAndKeepsRecord()
    {
        var storage = NewStorage();
        var unaware = await Read<UserState>(storage);
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "written" }));

        var exception = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, _grainId, unaware));

        Assert.Equal("1", exception.StoredEtag);
        Assert.Null(exception.CurrentEtag);
        Assert.Equal("written", (await Read<UserState>(storage)).State.Username);
    }

    [Fact]
    public async Task ClearStateAsync_NoETagAndNoRecord_Succeeds()
    {
        var storage = NewStorage();
        var state = await Read<UserState>(storage);

        await storage.ClearStateAsync(StateName, _grainId, state);

        Assert.False(state.RecordExists);
        Assert.False((await Read<UserState>(storage)).RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_AfterClear_InsertsAgain()
    {
        var storage = NewStorage();
        var state = new StoredState<UserState>(new UserState { Username = "alice" });
        await storage.WriteStateAsync(StateName, _grainId, state);
        await storage.ClearStateAsync(StateName, _grainId, state);

        state.State.Username = "again";
        await storage.WriteStateAsync(StateName, _grainId, state);

        var read = await Read<UserState>(storage);
        Assert.Equal("1", read.ETag);
        Assert.Equal("again", read.State.Username);
    }

    [Fact]
    public async Task ReadStateAsync_NewInstanceOnSameFile_SeesEarlierWrites()
    {
        await NewStorage().WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "alice", Disabled = true }));

        var read = await Read<UserState>(NewStorage());

        Assert.True(read.RecordExists);
        Assert.Equal("1", read.ETag);
        Assert.Equal("alice", read.State.Username);
        Assert.True(read.State.Disabled);
    }

    [Fact]
    public async Task ReadStateAsync_WrittenAsOlderVersion_ReadsIntoNewerVersionWithNewFieldDefault()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<VersionedStateV1>(new VersionedStateV1("alice", 3)));

        var read = await Read<VersionedStateV2>(storage);

        Assert.Equal(new VersionedStateV2("alice", 3, null), read.State);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_Always_StoresNoTypeName()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<VersionedStateV1>(new VersionedStateV1("alice", 3)));

        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state";
        var payload = Encoding.UTF8.GetString((byte[])(await command.ExecuteScalarAsync())!);

        Assert.Contains("alice", payload);
        Assert.DoesNotContain("VersionedState", payload);
    }

    [Fact]
    public async Task ReadStateAsync_WrittenAsNewerVersion_ReadsIntoOlderVersionIgnoringNewField()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<VersionedStateV2>(new VersionedStateV2("alice", 3, "added later")));

        var read = await Read<VersionedStateV1>(storage);

        Assert.Equal(new VersionedStateV1("alice", 3), read.State);
    }

    [Fact]
    public async Task WriteStateAsync_ManyConcurrentWritersToDifferentGrains_StoresEveryOne()
    {
        var storage = NewStorage();
        var grains = Enumerable.Range(0, 64).Select(_ => GrainId.Create("user", Guid.NewGuid().ToString("N"))).ToArray();

        await Task.WhenAll(grains.Select(g => Task.Run(() =>
            storage.WriteStateAsync(StateName, g, new StoredState<UserState>(new UserState { Username = g.Key.ToString() })))));

        foreach (var grain in grains)
        {
            var read = new StoredState<UserState>(default!);
            await storage.ReadStateAsync(StateName, grain, read);
            Assert.Equal("1", read.ETag);
            Assert.Equal(grain.Key.ToString(), read.State.Username);
        }
    }

    [Fact]
    public async Task WriteStateAsync_AfterAConflictingWrite_NextWriteIsNotBlocked()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "alice" }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "stale" }) { ETag = "7" }));

        var other = GrainId.Create("user", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync(StateName, other, new StoredState<UserState>(new UserState { Username = "bob" }))
            .WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ClearStateAsync_AfterAConflictingClear_NextWriteIsNotBlocked()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState { Username = "alice" }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.ClearStateAsync(StateName, _grainId, new StoredState<UserState>(new UserState()) { ETag = "7" }));

        var other = GrainId.Create("user", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync(StateName, other, new StoredState<UserState>(new UserState { Username = "bob" }))
            .WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private SqliteGrainStorage NewStorage() =>
        new(DatabasePath, new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()));

    private async Task<StoredState<T>> Read<T>(SqliteGrainStorage storage)
    {
        var state = new StoredState<T>(default!);
        await storage.ReadStateAsync(StateName, _grainId, state);
        return state;
    }

    private sealed class StoredState<T>(T state) : IGrainState<T>
    {
        [AllowNull]
        public T State { get; set; } = state;

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }
}
