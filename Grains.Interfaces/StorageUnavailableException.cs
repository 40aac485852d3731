namespace Sessions.Grains;

/// <summary>
/// A grain could not read or write its state. Nothing was acknowledged; callers answer 503 and may retry.
/// Carries no driver exception, so every client can deserialize it.
/// </summary>
[GenerateSerializer, Alias("Sessions.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
