namespace Sessions.Grains.Users;

/// <summary>
/// Grains a request needs only at registration and login (a username and its skeleton): once the login is over they
/// are dead weight, so they are collected after two idle minutes instead of Orleans' default fifteen. A login that
/// comes later reactivates them from storage, one read each.
/// </summary>
internal static class LoginOnlyGrains
{
    public const double CollectionAgeMinutes = 2;
}
