namespace Sessions.Api.Endpoints;

public static class PasswordPolicy
{
    /// <summary>The contract's rule: 8–128 characters. Null if acceptable, else why not.</summary>
    public static string? Check(string? password) =>
        password is { Length: >= 8 and <= 128 } ? null : "The password must be 8 to 128 characters long.";
}
