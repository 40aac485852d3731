using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Sessions.Grains;

namespace Sessions.Api.Endpoints;

/// <summary>
/// A live session as <c>GET /me/sessions</c> shows it to its holder: the fields of <see cref="SessionResponse"/> and
/// whether it is the session of the caller's own token. A type of its own so that the OpenAPI document has
/// <c>current</c> here, required, and not in the administrator's view.
/// </summary>
public sealed record MySessionResponse : SessionResponse
{
    [SetsRequiredMembers]
    private MySessionResponse(SessionResponse session, bool current)
        : base(session) => Current = current;

    // Last, as the contract lists it: System.Text.Json writes a derived type's own properties before its base's.
    [JsonPropertyOrder(1)]
    public required bool Current { get; init; }

    public static MySessionResponse Of(SessionInfo session, bool current) => new(SessionResponse.Of(session), current);
}
