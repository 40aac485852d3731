namespace Sessions.Grains;

/// <summary>
/// Too many password hashes are running and waiting on this silo (Sessions:PasswordHashing:MaxConcurrent and
/// :MaxQueued). Nothing was checked or changed; callers answer 503 with Retry-After.
/// </summary>
[GenerateSerializer, Alias("Sessions.PasswordHashingBusyException")]
public sealed class PasswordHashingBusyException : Exception
{
    public PasswordHashingBusyException() : base("Too many password checks are in progress; retry shortly.")
    {
    }

    public PasswordHashingBusyException(string message) : base(message)
    {
    }

    public PasswordHashingBusyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
