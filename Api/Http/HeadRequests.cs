using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Sessions.Api.Http;

/// <summary>
/// HEAD is served wherever GET is (RFC 9110 §9.3.2: general-purpose servers support it). Minimal API routes match
/// GET only, so a HEAD request is routed as a GET and its body is dropped; Kestrel would drop the writes of a HEAD
/// response anyway, the swap makes every server do so. A gateway route is the exception: the upstream decides what
/// HEAD means there, so it gets the HEAD the client sent.
/// </summary>
public static class HeadRequests
{
    /// <summary>Call first: it routes, so it must come before anything that reads the matched endpoint.</summary>
    public static WebApplication UseHeadAsGet(this WebApplication app)
    {
        // Routed once as sent, to see whether a gateway route takes the HEAD; routed again as GET when not (the
        // second routing matches only when the first one's endpoint was cleared).
        app.UseRouting();
        app.Use(ServeHeadAsGet);
        app.UseRouting();
        return app;
    }

    private static async Task ServeHeadAsGet(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsHead(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not null)
        {
            await next(context);
            return;
        }
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        context.Request.Method = HttpMethods.Get;
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(body);
            context.Request.Method = HttpMethods.Head;
        }
    }
}
