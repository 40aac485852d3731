namespace Sessions.Bench;

/// <summary>Tokens from the single-process run that the baselines verify too, with the key set and issuer they were signed under.</summary>
internal sealed record IssuedSet(string Issuer, string Jwks, IssuedToken[] Load, IssuedToken[] Victims, string TokensFile);
