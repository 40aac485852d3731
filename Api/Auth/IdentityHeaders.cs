using System.Buffers;
using System.Text;

namespace Sessions.Api.Auth;

/// <summary>
/// The <c>X-Sessions-*</c> headers a proxy copies upstream after a decision. Values are ASCII: a username may hold
/// non-ASCII letters, which are percent-encoded as UTF-8 (a username never contains <c>%</c>, so an ASCII one
/// arrives unchanged and decoding is unambiguous).
/// </summary>
internal static class IdentityHeaders
{
    public const string Prefix = "X-Sessions-";
    public const string UserId = "X-Sessions-User-Id";
    public const string Username = "X-Sessions-Username";
    public const string SessionId = "X-Sessions-Session-Id";
    public const string DeviceId = "X-Sessions-Device-Id";
    public const string Roles = "X-Sessions-Roles";

    public static readonly string[] All = [UserId, Username, SessionId, DeviceId, Roles];

    /// <summary>
    /// Hands each of the five headers and its value for <paramref name="access"/> to <paramref name="set"/>, in
    /// <see cref="All"/>'s order. A door calls it on every accepted request, so it builds no collection: an ASCII
    /// value is passed as it is, and the roles are one string.
    /// </summary>
    public static void Write<TState>(SessionAccess access, TState state, Action<TState, string, string> set)
    {
        set(state, UserId, Encode(access.UserId));
        set(state, Username, Encode(access.Username));
        set(state, SessionId, Encode(access.SessionId));
        set(state, DeviceId, Encode(access.DeviceId));
        set(state, Roles, access.Roles switch
        {
            [] => "",
            [var role] => Encode(role),
            var roles => string.Join(',', Array.ConvertAll(roles, Encode)),
        });
    }

    /// <summary>
    /// Whether a header name is, or could be read as, one of ours. CGI-style upstreams (PHP-FPM, some WSGI servers)
    /// read <c>X_Sessions_User_Id</c> as <c>X-Sessions-User-Id</c>, so an underscore counts as a hyphen here.
    /// </summary>
    public static bool IsIdentityHeader(string name)
    {
        if (name.Length < Prefix.Length)
            return false;
        for (var i = 0; i < Prefix.Length; i++)
        {
            var c = name[i] == '_' ? '-' : name[i];
            if (char.ToLowerInvariant(c) != char.ToLowerInvariant(Prefix[i]))
                return false;
        }
        return true;
    }

    // Printable ASCII except the escape and the roles' separator: the characters a value keeps as they are.
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        string.Concat(Enumerable.Range(' ', '\u007f' - ' ').Select(c => (char)c).Where(c => c is not '%' and not ',')));

    private static string Encode(string value)
    {
        if (!value.AsSpan().ContainsAnyExcept(Plain))
            return value;
        var encoded = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)' ' and < 0x7f and not (byte)'%' and not (byte)',')
                encoded.Append((char)b);
            else
                encoded.Append('%').Append(b.ToString("X2"));
        }
        return encoded.ToString();
    }
}
