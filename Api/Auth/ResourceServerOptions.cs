namespace Sessions.Api.Auth;

/// <summary>One entry of <c>Sessions:ResourceServers:{clientId}</c>: an API allowed to introspect tokens.</summary>
public sealed class ResourceServerOptions
{
    /// <summary>The client secret; from an environment variable or a secret store, never from a checked-in file.</summary>
    public string? Secret { get; set; }
}
