namespace Sessions.Grains;

/// <summary>Either a token pair or the reason there is none.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.TokenOutcome")]
public sealed record TokenOutcome(
    [property: Id(0)] TokenPair? Tokens,
    [property: Id(1)] TokenFailure Failure)
{
    public static TokenOutcome Success(TokenPair tokens) => new(tokens, TokenFailure.None);

    public static TokenOutcome Fail(TokenFailure failure) => new(null, failure);
}
