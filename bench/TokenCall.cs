namespace Sessions.Bench;

/// <summary>What the bench keeps of one <c>POST /oauth/token</c> answer; the tokens only to present them next, never printed.</summary>
internal sealed record TokenCall(int Status, string? RefreshToken, string? ErrorDescription, string? AccessToken = null)
{
    /// <summary>The contract's answer when a spent refresh token is presented past the grace window: reuse detection ended the session.</summary>
    public bool IsReuseDetection => Status == 400 && ErrorDescription?.Contains("already used", StringComparison.Ordinal) == true;
}
