namespace Sessions.Grains;

/// <summary>
/// A refresh reached its user's grain past its <see cref="RefreshDeadline"/> and was refused before anything was read or
/// changed. Callers answer 503; the client may retry with the same refresh token.
/// </summary>
[GenerateSerializer, Alias("Sessions.RefreshTooLateException")]
public sealed class RefreshTooLateException : Exception
{
    public RefreshTooLateException()
    {
    }

    public RefreshTooLateException(string message) : base(message)
    {
    }

    public RefreshTooLateException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
