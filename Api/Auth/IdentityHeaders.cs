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

    public static IEnumerable<KeyValuePair<string, string>> Of(SessionAccess access) =>
    [
        new(UserId, Encode(access.UserId)),
        new(Username, Encode(access.Username)),
        new(SessionId, Encode(access.SessionId)),
        new(DeviceId, Encode(access.DeviceId)),
        new(Roles, string.Join(',', access.Roles.Select(Encode))),
    ];

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

    private static string Encode(string value)
    {
        if (value.All(c => c is >= ' ' and < '\u007f' and not '%' and not ','))
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
