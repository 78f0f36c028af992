using Microsoft.AspNetCore.Mvc;
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
                    Title = "Request body too large",
                    Detail = $"This endpoint accepts at most {limit} bytes; the request declares {context.Request.ContentLength}.",
                },
            });
            return;
        }
        await next();
    }
}
