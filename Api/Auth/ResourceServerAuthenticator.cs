using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Sessions.Api.Auth;

/// <summary>
/// RFC 6749 §2.3.1 client authentication of resource servers (<c>client_secret_basic</c>, <c>client_secret_post</c>).
/// Secrets are compared as SHA-256 digests in constant time, so neither their content nor their length leaks, and
/// an unknown client id costs the same comparison as a known one.
/// </summary>
internal sealed class ResourceServerAuthenticator(IOptions<ResourceServersOptions> options)
{
    private static readonly byte[] NoSecret = SHA256.HashData("no such resource server"u8);

    private readonly Dictionary<string, byte[]> _secrets = options.Value.Clients.ToDictionary(
        c => c.Key, c => SHA256.HashData(Encoding.UTF8.GetBytes(c.Value.Secret!)), StringComparer.Ordinal);

    /// <summary>Whether the Authorization header is HTTP Basic (the caller claims to be a resource server).</summary>
    public static bool IsBasic(HttpRequest request) =>
        request.Headers.Authorization is [{ } value] && value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The client id of a valid <c>client_secret_basic</c> header, else null.</summary>
    public string? FromBasic(HttpRequest request)
    {
        if (request.Headers.Authorization is not [{ } value] || value.Length > 1024)
            return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0)
            return null;
        // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
        return Check(FormDecode(decoded[..colon]), FormDecode(decoded[(colon + 1)..]));
    }

    /// <summary>The client id of valid <c>client_id</c>/<c>client_secret</c> form fields, else null.</summary>
    public string? FromForm(Dictionary<string, string> form) =>
        form.TryGetValue("client_id", out var id) && form.TryGetValue("client_secret", out var secret) ? Check(id, secret) : null;

    private string? Check(string? clientId, string? secret)
    {
        if (clientId is null || secret is null)
            return null;
        var expected = _secrets.GetValueOrDefault(clientId) ?? NoSecret;
        var matches = CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        return matches && !ReferenceEquals(expected, NoSecret) ? clientId : null;
    }

    private static string? FormDecode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
