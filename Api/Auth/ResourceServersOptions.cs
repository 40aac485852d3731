namespace Sessions.Api.Auth;

/// <summary><c>Sessions:ResourceServers</c>: client id → its credential.</summary>
public sealed class ResourceServersOptions
{
    public const string SectionName = "Sessions:ResourceServers";
    public const int MinSecretLength = 16;

    public Dictionary<string, ResourceServerOptions> Clients { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Validate()
    {
        foreach (var (clientId, client) in Clients)
        {
            if (clientId.Length > 64 || !clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                yield return $"{SectionName}: the client id '{clientId}' must be 1-64 characters of letters, digits and ._-";
            if (client.Secret is not { Length: >= MinSecretLength })
                yield return $"{SectionName}:{clientId}:Secret must be set and at least {MinSecretLength} characters.";
        }
    }
}
