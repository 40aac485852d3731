using System.Net;

namespace Sessions.Tests.Security;

/// <summary>The hostile bodies every JSON-only endpoint must refuse, with the problem each gets.</summary>
public static class JsonBodyCases
{
    private const string BadShape = "The body is not valid JSON of the expected shape.";
    private const string NotJson = "The body must be application/json.";

    internal static readonly Dictionary<string, (HttpStatusCode Status, string Title, string Detail)> Expected = new()
    {
        ["malformed-json"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["array-root"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["number-root"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["string-root"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["null-root"] = (HttpStatusCode.BadRequest, "Bad Request", "The body must be a JSON object."),
        ["wrong-field-types"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["deeply-nested"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["four-mebibytes"] = (HttpStatusCode.RequestEntityTooLarge, "Content Too Large", "The body is larger than 16384 bytes."),
        ["four-mebibytes-unannounced"] = (HttpStatusCode.RequestEntityTooLarge, "Content Too Large", "The body is larger than 16384 bytes."),
        ["text-plain"] = (HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type", NotJson),
        ["application-xml"] = (HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type", NotJson),
        ["no-content-type"] = (HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type", NotJson),
        ["multipart"] = (HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type", NotJson),
        ["form-urlencoded"] = (HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type", NotJson),
        ["repeated-json-field"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["repeated-json-field-other-case"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["non-utf8-json"] = (HttpStatusCode.BadRequest, "Bad Request", "The body is not valid UTF-8."),
        ["lone-surrogate-json"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
        ["empty-json"] = (HttpStatusCode.BadRequest, "Bad Request", BadShape),
    };

    public static TheoryData<string> Cases => [.. Expected.Keys];
}
