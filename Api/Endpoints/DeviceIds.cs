namespace Sessions.Api.Endpoints;

/// <summary>Client-chosen device ids and names: short, printable, no surprises in logs or paths.</summary>
internal static class DeviceIds
{
    public static bool IsValid(string? deviceId) =>
        deviceId is { Length: >= 1 and <= 128 } && deviceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':');

    public static bool IsValidName(string? name) =>
        name is null || (name.Length <= 128 && !name.Any(char.IsControl));
}
