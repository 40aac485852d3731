namespace Sessions.Grains;

/// <summary><c>Sessions:BootstrapAdmin</c>: an account created at start-up with role admin if the name is free.</summary>
public sealed class BootstrapAdminOptions
{
    public string? Username { get; set; }

    public string? Password { get; set; }
}
