using Orleans.Storage;
using Sessions.Grains.Users;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>The Orleans ADO.NET grain storage running our schema's queries: ETags guard every write and clear.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStorageTests(PostgresStorageCluster cluster) : IClassFixture<PostgresStorageCluster>
{
    private const string StateName = "user";

    private IGrainStorage Storage => cluster.Storage;

    [Fact]
    public async Task Read_NeverWritten_RecordDoesNotExist()
    {
        var state = new GrainState<UserState>();

        await Storage.ReadStateAsync(StateName, NewGrainId(), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
    }

    [Fact]
    public async Task WriteThenRead_UserState_RoundTrips()
    {
        var grainId = NewGrainId();
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var written = new GrainState<UserState>(new UserState
        {
            Username = "alice",
            PasswordHash = "hash",
            Roles = ["admin"],
            CreatedAt = now,
            FailedLogins = 2,
            RevokedBefore = now.AddMinutes(-5),
            StoredSessions = new()
            {
                ["s1"] = new SessionState
                {
                    SessionId = "s1",
                    DeviceId = "d1",
                    DeviceName = "phone",
                    CreatedAt = now,
                    LastSeenAt = now.AddMinutes(1),
                    ExpiresAt = now.AddDays(1),
                    RefreshTokenHash = Hash(4),
                },
            },
        });

        written.State!.RevokeJti("jti-1", now.AddMinutes(5));
        written.State!.Sessions["s1"].Rotate(Hash(1), now.AddMinutes(1));

        await Storage.WriteStateAsync(StateName, grainId, written);
        var read = new GrainState<UserState>();
        await Storage.ReadStateAsync(StateName, grainId, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("alice", read.State!.Username);
        Assert.Equal("hash", read.State!.PasswordHash);
        Assert.Equal(["admin"], read.State!.Roles);
        Assert.Equal(now, read.State!.CreatedAt);
        Assert.Equal(2, read.State!.FailedLogins);
        Assert.Equal(now.AddMinutes(-5), read.State!.RevokedBefore);
        var session = Assert.Single(read.State!.Sessions.Values);
        Assert.Equal(("s1", "d1", "phone"), (session.SessionId, session.DeviceId, session.DeviceName));
        Assert.Equal(now.AddMinutes(1), session.LastSeenAt);
        Assert.Equal(now.AddDays(1), session.ExpiresAt);
        Assert.Equal(Hash(1), session.RefreshTokenHash);
        Assert.Equal(Hash(4), session.SpentHashes);
        Assert.Equal(now.AddMinutes(1), session.RotatedAt);
        Assert.Equal(now.AddMinutes(5), read.State!.RevokedJtis["jti-1"]);
    }

    [Fact]
    public async Task Write_Twice_ChangesTheETagEachTime()
    {
        var grainId = NewGrainId();
        var state = NewState("first");

        await Storage.WriteStateAsync(StateName, grainId, state);
        var first = state.ETag;
        state.State!.Username = "second";
        await Storage.WriteStateAsync(StateName, grainId, state);

        Assert.NotNull(first);
        Assert.NotEqual(first, state.ETag);
        Assert.Equal("second", (await Read(grainId)).State!.Username);
    }

    [Fact]
    public async Task Write_WithStaleETag_ThrowsInconsistentStateAndKeepsNewerState()
    {
        var grainId = NewGrainId();
        var current = NewState("v1");
        await Storage.WriteStateAsync(StateName, grainId, current);
        var stale = new GrainState<UserState>(new UserState { Username = "stale" }, current.ETag);
        current.State!.Username = "v2";
        await Storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));

        Assert.Equal("v2", (await Read(grainId)).State!.Username);
    }

    [Fact]
    public async Task Write_FirstWriteWhenRowExists_ThrowsInconsistentState()
    {
        var grainId = NewGrainId();
        await Storage.WriteStateAsync(StateName, grainId, NewState("winner"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, NewState("loser")));

        Assert.Equal("winner", (await Read(grainId)).State!.Username);
    }

    [Fact]
    public async Task Write_TwoFirstWritesAtOnce_ExactlyOneSucceeds()
    {
        var grainId = NewGrainId();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            try
            {
                await Storage.WriteStateAsync(StateName, grainId, NewState("writer" + i));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, succeeded => succeeded);
    }

    [Fact]
    public async Task Clear_ThenRead_RecordDoesNotExistButKeepsAnETag()
    {
        var grainId = NewGrainId();
        var state = NewState("alice");
        await Storage.WriteStateAsync(StateName, grainId, state);

        await Storage.ClearStateAsync(StateName, grainId, state);
        var read = await Read(grainId);

        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Null(read.State!.Username);
        Assert.NotNull(read.ETag);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_WithStaleETag_ThrowsInconsistentStateAndKeepsState()
    {
        var grainId = NewGrainId();
        var current = NewState("v1");
        await Storage.WriteStateAsync(StateName, grainId, current);
        var stale = new GrainState<UserState>(new UserState(), current.ETag) { RecordExists = true };
        await Storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grainId, stale));

        Assert.True((await Read(grainId)).RecordExists);
    }

    [Fact]
    public async Task Write_WithETagFromBeforeClear_ThrowsInconsistentState()
    {
        var grainId = NewGrainId();
        var clearer = NewState("v1");
        await Storage.WriteStateAsync(StateName, grainId, clearer);
        var stale = new GrainState<UserState>(new UserState { Username = "stale" }, clearer.ETag);

        await Storage.ClearStateAsync(StateName, grainId, clearer);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));
        Assert.False((await Read(grainId)).RecordExists);
    }

    [Fact]
    public async Task Write_AfterClear_CreatesTheRecordAgain()
    {
        var grainId = NewGrainId();
        var state = NewState("v1");
        await Storage.WriteStateAsync(StateName, grainId, state);
        await Storage.ClearStateAsync(StateName, grainId, state);

        state.State!.Username = "again";
        await Storage.WriteStateAsync(StateName, grainId, state);

        var read = await Read(grainId);
        Assert.True(read.RecordExists);
        Assert.Equal("again", read.State!.Username);
    }

    [Fact]
    public async Task Write_SameKeyUnderAnotherStateName_IsSeparate()
    {
        var grainId = NewGrainId();
        await Storage.WriteStateAsync(StateName, grainId, NewState("user"));

        var other = new GrainState<UserState>();
        await Storage.ReadStateAsync("username", grainId, other);

        Assert.False(other.RecordExists);
    }

    private static byte[] Hash(int n) => [.. Enumerable.Repeat((byte)n, 32)];

    private static GrainId NewGrainId() => GrainId.Create("user", Guid.NewGuid().ToString("N"));

    private static GrainState<UserState> NewState(string username) => new(new UserState { Username = username });

    private async Task<GrainState<UserState>> Read(GrainId grainId)
    {
        var state = new GrainState<UserState>();
        await Storage.ReadStateAsync(StateName, grainId, state);
        return state;
    }
}
