namespace Sessions.Grains;

/// <summary>
/// The silo could not confirm, recently enough, that the cluster still counts it as a member, so another silo may
/// already be answering for the same grain: it refused to decide. Nothing was decided; callers answer 503 and may retry.
/// </summary>
[GenerateSerializer, Alias("Sessions.SiloFencedException")]
public sealed class SiloFencedException : Exception
{
    public SiloFencedException()
    {
    }

    public SiloFencedException(string message) : base(message)
    {
    }

    public SiloFencedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
