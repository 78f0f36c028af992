using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Diagnostics;

namespace Songjiang.ServiceDefaults.Correlation;

/// <summary>
/// Gives every request a correlation id (from <c>X-Correlation-Id</c> or <c>traceparent</c>), returns it on the
/// response, tags the trace with it and opens a logging scope so every log line of the request carries it.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var id = CorrelationId.Resolve(
            context.Request.Headers[CorrelationId.HeaderName].ToString(),
            context.Request.Headers["traceparent"].ToString());

        CorrelationId.Current = id;
        context.Request.Headers[CorrelationId.HeaderName] = id;
        // Set when the response starts, replacing any copy a proxied service returned, so the header appears once.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[CorrelationId.HeaderName] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("correlation.id", id);

        using (logger.BeginScope("CorrelationId:{CorrelationId}", id))
        {
            await next(context);
        }
    }
}
