using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Sessions.Tests.Security;

/// <summary>Builds JWTs by hand, the way an attacker would: no library between the test and the bytes on the wire.</summary>
internal static class Jwt
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

    public static JsonObject Header(string token) => Decode(token.Split('.')[0]);

    public static JsonObject Payload(string token) => Decode(token.Split('.')[1]);

    public static string Signature(string token) => token.Split('.')[2];

    /// <summary>The signing input <c>header.payload</c> of the given JSON parts.</summary>
    public static string Unsigned(JsonNode header, JsonNode payload) => $"{Encode(header.ToJsonString())}.{Encode(payload.ToJsonString())}";

    public static string SignEs256(string signingInput, ECDsa key) =>
        $"{signingInput}.{Encode(key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))}";

    public static string SignHs256(string signingInput, byte[] secret) =>
        $"{signingInput}.{Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)))}";

    /// <summary>The token's header replaced by <paramref name="change"/>'s result, payload and signature kept byte for byte.</summary>
    public static string WithHeader(string token, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        var header = Header(token);
        change(header);
        return $"{Encode(header.ToJsonString())}.{parts[1]}.{parts[2]}";
    }

    /// <summary>The token's payload replaced by <paramref name="change"/>'s result, header and signature kept byte for byte.</summary>
    public static string WithPayload(string token, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        var payload = Payload(token);
        change(payload);
        return $"{parts[0]}.{Encode(payload.ToJsonString())}.{parts[2]}";
    }

    public static JsonObject PublicJwk(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Encode(p.Q.X), ["y"] = Encode(p.Q.Y) };
    }

    private static JsonObject Decode(string part) => JsonNode.Parse(Base64Url.DecodeFromChars(part))!.AsObject();
}
