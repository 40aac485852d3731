namespace Sessions.Grains;

/// <summary>User and session ids: 32 lower-case hex digits.</summary>
public static class Ids
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}
