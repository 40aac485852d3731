namespace Sessions.Grains;

/// <summary>The name of the grain storage every Sessions grain persists to.</summary>
public static class SessionsStorage
{
    public const string Name = "sessions";
}
