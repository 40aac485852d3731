using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sessions.Tests.Security;

/// <summary>
/// Request bodies that are wrong in one way each, built around the fields a well-formed request would carry, so a
/// parser that let one through would act on real credentials and the test would see the change.
/// </summary>
internal static class HostileBodies
{
    public const int FourMebibytes = 4 * 1024 * 1024;

    public static HttpContent Build(string name, params (string Name, string Value)[] fields) => name switch
    {
        "malformed-json" => Text(JsonObjectText(fields)[..^1], "application/json"),
        "array-root" => Text($"[{JsonObjectText(fields)}]", "application/json"),
        "number-root" => Text("42", "application/json"),
        "string-root" => Text(JsonSerializer.Serialize(FormText(fields)), "application/json"),
        "null-root" => Text("null", "application/json"),
        "wrong-field-types" => Text(WrongTypes(fields), "application/json"),
        "deeply-nested" => Text(JsonObjectText(fields)[..^1] + $",\"pad\":{new string('[', 5_000)}{new string(']', 5_000)}}}", "application/json"),
        "four-mebibytes" => Text(JsonObjectText(fields)[..^1] + $",\"pad\":\"{new string('a', FourMebibytes)}\"}}", "application/json"),
        "four-mebibytes-unannounced" => Unannounced(JsonObjectText(fields)[..^1] + $",\"pad\":\"{new string('a', FourMebibytes)}\"}}", "application/json"),
        "text-plain" => Text(JsonObjectText(fields), "text/plain"),
        "application-xml" => Text($"<request>{string.Concat(fields.Select(f => $"<{f.Name}>{f.Value}</{f.Name}>"))}</request>", "application/xml"),
        "no-content-type" => Text(JsonObjectText(fields), null),
        "multipart" => Multipart(fields),
        "form-urlencoded" => Text(FormText(fields), "application/x-www-form-urlencoded"),
        "repeated-json-field" => Text($"{{{string.Join(",", fields.Select(f => $"{Quote(f.Name)}:\"decoy\",{Quote(f.Name)}:{Quote(f.Value)}"))}}}", "application/json"),
        "repeated-json-field-other-case" => Text($"{{{string.Join(",", fields.Select(f => $"{Quote(f.Name)}:\"decoy\",{Quote(char.ToUpperInvariant(f.Name[0]) + f.Name[1..])}:{Quote(f.Value)}"))}}}", "application/json"),
        "repeated-form-parameter" => Text(FormText([.. fields.SelectMany(f => new[] { (f.Name, "decoy"), f })]), "application/x-www-form-urlencoded"),
        "non-utf8-json" => Bytes(Encoding.UTF8.GetBytes(JsonObjectText(fields)[..^1] + ",\"pad\":\"").Concat(new byte[] { 0xFF, 0xFE, 0xC0, 0x80 }).Concat("\"}"u8.ToArray()).ToArray(), "application/json"),
        "non-utf8-form" => Bytes(Encoding.UTF8.GetBytes(FormText(fields) + "&pad=").Concat(new byte[] { 0xFF, 0xFE, 0xC0, 0x80 }).ToArray(), "application/x-www-form-urlencoded"),
        "lone-surrogate-json" => Text($"{{{string.Join(",", fields.Select(f => $"{Quote(f.Name)}:\"\\ud800{f.Value}\""))}}}", "application/json"),
        "empty-json" => Text("", "application/json"),
        "empty-form" => Text("", "application/x-www-form-urlencoded"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static string JsonObjectText((string Name, string Value)[] fields) =>
        $"{{{string.Join(",", fields.Select(f => $"{Quote(f.Name)}:{Quote(f.Value)}"))}}}";

    private static string FormText((string Name, string Value)[] fields) =>
        string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));

    // The first field keeps its type so an endpoint gets past it; the rest become an array, an object, a number, a bool.
    private static string WrongTypes((string Name, string Value)[] fields)
    {
        string[] wrong = ["[\"x\"]", "{\"x\":1}", "12345678", "true"];
        return $"{{{string.Join(",", fields.Select((f, i) => $"{Quote(f.Name)}:{(i == 0 ? Quote(f.Value) : wrong[(i - 1) % wrong.Length])}"))}}}";
    }

    private static ByteArrayContent Text(string text, string? contentType) => Hostile.Body(Encoding.UTF8.GetBytes(text), contentType);

    private static ByteArrayContent Bytes(byte[] bytes, string contentType) => Hostile.Body(bytes, contentType);

    // No Content-Length: the cap has to hold while streaming, not only on the announced size.
    private static StreamContent Unannounced(string text, string contentType)
    {
        var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(text)));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static MultipartFormDataContent Multipart((string Name, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            content.Add(new StringContent(value), name);
        return content;
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
