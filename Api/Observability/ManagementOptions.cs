namespace Sessions.Api.Observability;

/// <summary>The <c>Sessions:Management</c> section: where the operator-only endpoints answer.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Sessions:Management";

    /// <summary>
    /// If set, <c>/metrics</c> and <c>/dashboard</c> answer only on connections to this local port (which <c>urls</c>
    /// must also listen on) and 404 elsewhere; unset, they answer on every port.
    /// </summary>
    public int? Port { get; set; }
}
