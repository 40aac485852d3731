using System.Text;

namespace Sessions.Grains;

/// <summary>The username rules of the contract: 3–64 letters, digits or <c>._-@</c>, compared case-insensitively after NFKC.</summary>
public static class Username
{
    /// <summary>The display form (NFKC), or null if the name breaks the rules.</summary>
    public static string? Normalize(string? username)
    {
        if (username is null || username.Length is 0 or > 256)
            return null;
        string normalized;
        try
        {
            normalized = username.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return null; // lone surrogates and other invalid UTF-16
        }
        if (normalized.Length is < 3 or > 64)
            return null;
        foreach (var c in normalized)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('.' or '_' or '-' or '@'))
                return null;
        }
        return normalized;
    }

    /// <summary>The key the username index is addressed by, or null if the name breaks the rules.</summary>
    public static string? ToKey(string? username) => Normalize(username)?.ToLowerInvariant();
}
