using Npgsql;
using Sessions.Grains.Fencing;

namespace Sessions.Silo.Database;

/// <summary>The fence's stopped markers in <c>sessions_stopped_silos</c>, one row per silo identity of this cluster.</summary>
internal sealed class PostgresStoppedSiloMarkers(string connectionString, string clusterId) : IStoppedSiloMarkers
{
    // Markers outlive their silos' membership rows (Orleans removes defunct rows after days); past this nobody asks.
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    public async Task MarkAsync(SiloAddress silo, string kind, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO sessions_stopped_silos (cluster_id, silo, kind) VALUES (@cluster, @silo, @kind) ON CONFLICT DO NOTHING;
            DELETE FROM sessions_stopped_silos WHERE cluster_id = @cluster AND stopped_at < now() - @kept;
            """, connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("silo", silo.ToParsableString());
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("kept", KeptFor);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<SiloAddress, TimeSpan>> FindAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken)
    {
        var wanted = silos.ToDictionary(s => s.ToParsableString());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT silo, now() - stopped_at FROM sessions_stopped_silos WHERE cluster_id = @cluster AND silo = ANY(@silos)", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("silos", wanted.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<SiloAddress, TimeSpan>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (wanted.TryGetValue(reader.GetString(0), out var silo))
                found[silo] = reader.GetTimeSpan(1);
        }
        return found;
    }
}
