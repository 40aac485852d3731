using System.Text;
using Sessions.Grains.Unicode;

namespace Sessions.Grains;

/// <summary>
/// The username rules of the contract: 3–64 letters, digits or <c>._-@</c> after Unicode normalisation, compared
/// case-insensitively. Modelled on RFC 8265's UsernameCaseMapped profile: width and compatibility forms are mapped
/// (NFKC), then case is folded, then NFKC again. The fold is Unicode's full default case folding (ICU), as RFC 7613
/// had it, rather than RFC 8265's toLowerCase: it also equates <c>ß</c>/<c>ss</c> and <c>ς</c>/<c>σ</c>, so fewer
/// look-alike names can coexist. It is not Turkic: <c>I</c> folds to <c>i</c> and <c>İ</c> to <c>i</c> + U+0307.
/// </summary>
public static class Username
{
    public const string Rule = "The username must be 3 to 64 characters of letters, digits and ._-@";

    /// <summary>The display form (NFKC, case kept), or null if the name breaks the rules.</summary>
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
        var count = 0;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune) && rune.Value is not ('.' or '_' or '-' or '@'))
                return null;
            count++;
        }
        return count is < 3 or > 64 ? null : normalized;
    }

    /// <summary>The key the username index is addressed by (NFKC, case folded, NFKC), or null if the name breaks the rules.</summary>
    public static string? ToKey(string? username) =>
        Normalize(username) is { } display ? Icu.FoldCase(display).Normalize(NormalizationForm.FormKC) : null;

    /// <summary>The UTS #39 confusable skeleton of a key; names whose skeletons are equal look alike (<c>paypal</c>, <c>pаypal</c>).</summary>
    public static string Skeleton(string key) => Icu.Skeleton(key);

    /// <summary>
    /// Loads ICU now, so a host without it (no libicu, or <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT</c> set) stops at
    /// start-up with the reason, instead of answering every registration and login with an error later.
    /// </summary>
    public static void EnsureAvailable()
    {
        try
        {
            _ = Skeleton(ToKey("probe")!);
        }
        catch (Exception exception) when (exception is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                "Usernames need ICU (libicu, e.g. Debian's libicu72) and globalization not in invariant mode: " + (exception.InnerException ?? exception).Message, exception);
        }
    }
}
