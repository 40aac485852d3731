namespace Sessions.Api.Http;

/// <summary>The client's address as ASP.NET Core decided it (its forwarded-headers handling, if enabled, already applied).</summary>
internal static class ClientAddress
{
    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => null,
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        var address => address.ToString(),
    };
}
