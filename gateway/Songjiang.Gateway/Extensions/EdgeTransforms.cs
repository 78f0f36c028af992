using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Songjiang.ServiceDefaults.Problems;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Songjiang.Gateway.Extensions;

/// <summary>What the gateway does to every forwarded request.</summary>
public static class EdgeTransforms
{
    /// <summary>Removes client-supplied identity and internal headers before the request leaves the gateway.</summary>
    public static void StripHeaders(TransformBuilderContext context, IReadOnlyList<string> patterns)
    {
        var exact = patterns.Where(p => !p.EndsWith('*')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var prefixes = patterns.Where(p => p.EndsWith('*')).Select(p => p.TrimEnd('*')).ToArray();
        bool Matches(string name) =>
            exact.Contains(name) || prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

        context.AddRequestTransform(transform =>
        {
            foreach (var name in transform.ProxyRequest.Headers.Select(h => h.Key).Where(Matches).ToList())
            {
                transform.ProxyRequest.Headers.Remove(name);
            }
            if (transform.ProxyRequest.Content is { } content)
            {
                foreach (var name in content.Headers.Select(h => h.Key).Where(Matches).ToList())
                {
                    content.Headers.Remove(name);
                }
            }
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Forwards a partner API request's target (path and query) exactly as the partner city sent it. The city signs the
    /// target as sent (docs/partners.md) and the exchange verifies the signature against the target it receives; YARP
    /// otherwise rebuilds the path from its decoded form, which changes escapes such as <c>%27</c>, <c>%28</c> or
    /// <c>%2A</c> and broke the signature of every request whose path carried one. The exchange's server decodes and
    /// normalises the same target the way the gateway's did, so both see the same path.
    /// </summary>
    public static void ForwardPartnerTargetVerbatim(TransformBuilderContext context)
    {
        if (context.Route.Match.Path?.StartsWith(PartnerRateLimiting.PathPrefix + "/", StringComparison.OrdinalIgnoreCase) != true)
        {
            return;
        }

        context.AddRequestTransform(transform =>
        {
            // Origin form only ("/path?query"); anything else is left to the proxy's own address.
            if (transform.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target && target[0] == '/')
            {
                transform.ProxyRequest.RequestUri = new Uri(
                    transform.DestinationPrefix.TrimEnd('/') + target,
                    new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Refuses a body larger than the route allows before anything is forwarded (413), when the client declares
    /// its length; bodies without a declared length are cut off by the server at the same limit while streaming.
    /// </summary>
    public static async Task RejectOversizedBodies(HttpContext context, Func<Task> next)
    {
        var limit = context.GetReverseProxyFeature().Route.Config.MaxRequestBodySize;
        if (limit is > 0 && context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = ProblemTitles.TooLarge,
                    Detail = $"此接口接受的请求正文最多 {limit} 字节，本请求为 {context.Request.ContentLength} 字节。",
                },
            });
            return;
        }
        await next();
    }
}
