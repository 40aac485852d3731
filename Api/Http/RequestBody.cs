using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.WebUtilities;

namespace Sessions.Api.Http;

/// <summary>
/// Reads small request bodies with a hard cap, whatever server runs the app, so an oversized or malformed body
/// is a 4xx before anything else happens.
/// </summary>
internal static class RequestBody
{
    public const int MaxBytes = 16 * 1024;

    // A repeated field is refused rather than last-one-wins, as RFC 6749 §3.2 asks of form parameters.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 8, AllowDuplicateProperties = false };

    /// <summary>A form (or, where allowed, JSON object of strings) as name/value pairs; null with a reason if unreadable.</summary>
    public static async Task<(Dictionary<string, string>? Values, int Status, string? Error)> ReadParameters(HttpRequest request, bool allowJson)
    {
        var (bytes, status, error) = await ReadBytes(request);
        if (bytes is null)
            return (null, status, error);
        var mediaType = MediaType(request);
        if (mediaType == "application/x-www-form-urlencoded")
        {
            string text;
            try
            {
                text = new System.Text.UTF8Encoding(false, true).GetString(bytes);
            }
            catch (System.Text.DecoderFallbackException)
            {
                return (null, 400, "The form is not valid UTF-8.");
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in QueryHelpers.ParseQuery(text))
            {
                // RFC 6749 §3.2: parameters must not be included more than once.
                if (value.Count != 1)
                    return (null, 400, $"The parameter '{Truncate(key)}' is repeated.");
                values[key] = value.ToString();
            }
            return (values, 200, null);
        }
        if (allowJson && mediaType == "application/json")
        {
            if (!Utf8.IsValid(bytes))
                return (null, 400, "The body is not valid UTF-8.");
            try
            {
                using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    return (null, 400, "The body must be a JSON object.");
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                        values[property.Name] = property.Value.GetString()!;
                    else if (property.Value.ValueKind != JsonValueKind.Null)
                        return (null, 400, $"The field '{Truncate(property.Name)}' must be a string.");
                }
                return (values, 200, null);
            }
            // GetString throws InvalidOperationException for an escape that decodes to a lone surrogate.
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                return (null, 400, "The body is not valid JSON.");
            }
        }
        return (null, 415, allowJson
            ? "The body must be application/x-www-form-urlencoded or application/json."
            : "The body must be application/x-www-form-urlencoded.");
    }

    /// <summary>A JSON body bound to <typeparamref name="T"/>; null with a reason if unreadable.</summary>
    public static async Task<(T? Value, int Status, string? Error)> ReadJson<T>(HttpRequest request) where T : class
    {
        if (MediaType(request) != "application/json")
            return (null, 415, "The body must be application/json.");
        var (bytes, status, error) = await ReadBytes(request);
        if (bytes is null)
            return (null, status, error);
        // The serializer skips unknown fields without checking their encoding.
        if (!Utf8.IsValid(bytes))
            return (null, 400, "The body is not valid UTF-8.");
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, Json);
            return value is null ? (null, 400, "The body must be a JSON object.") : (value, 200, null);
        }
        catch (JsonException)
        {
            return (null, 400, "The body is not valid JSON of the expected shape.");
        }
    }

    private static async Task<(byte[]? Bytes, int Status, string? Error)> ReadBytes(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
            return (null, 413, $"The body is larger than {MaxBytes} bytes.");
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await request.Body.ReadAsync(memory, request.HttpContext.RequestAborted);
                if (read == 0)
                    break;
                buffer.Advance(read);
                if (buffer.WrittenCount > MaxBytes)
                    return (null, 413, $"The body is larger than {MaxBytes} bytes.");
            }
        }
        catch (BadHttpRequestException exception)
        {
            return (null, exception.StatusCode, "The body could not be read.");
        }
        return (buffer.WrittenSpan.ToArray(), 200, null);
    }

    private static string? MediaType(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant()
            : null;

    private static string Truncate(string name) => name.Length > 40 ? name[..40] : name;
}
