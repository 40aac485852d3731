namespace Sessions.Grains;

/// <summary><c>Sessions:Lockout</c>: wrong passwords in a row that lock an account, and for how long.</summary>
public sealed class LockoutOptions
{
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
