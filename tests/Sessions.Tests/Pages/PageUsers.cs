namespace Sessions.Tests.Pages;

internal static class PageUsers
{
    /// <summary>A fresh, readable username: these show up in screenshots, and the README uses some of them.</summary>
    public static string NewUsername() => "alice-" + Guid.NewGuid().ToString("N")[..6];
}
