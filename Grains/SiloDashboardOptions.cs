namespace Sessions.Grains;

/// <summary><c>Sessions:Dashboard</c>: the Orleans Dashboard on a silo host, off by default.</summary>
public sealed class SiloDashboardOptions
{
    public bool Enabled { get; set; }

    /// <summary>Hides its live log stream, which would carry the audit events' user ids and client addresses.</summary>
    public bool HideTrace { get; set; } = true;
}
