namespace Sessions.Grains;

/// <summary>
/// The index from a UTS #39 confusable skeleton to the one username key holding it. One activation per skeleton
/// serialises racing registrations of look-alike names (<c>paypal</c>, <c>pаypal</c>), so at most one gets it.
/// </summary>
[Alias("Sessions.IUsernameSkeletonGrain")]
public interface IUsernameSkeletonGrain : IGrainWithStringKey
{
    /// <summary>Gives the skeleton to this username key if it is free; true if the key holds it now (or held it already).</summary>
    [Alias("Claim")]
    Task<bool> Claim(string usernameKey, CancellationToken cancellationToken = default);

    /// <summary>Frees the skeleton if this username key holds it: for a registration that failed after claiming it.</summary>
    [Alias("Release")]
    Task Release(string usernameKey, CancellationToken cancellationToken = default);

    /// <summary>The username key holding this skeleton, or null.</summary>
    [Alias("GetHolder")]
    Task<string?> GetHolder(CancellationToken cancellationToken = default);
}
