using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Songjiang.ServiceDefaults.Correlation;
using System.Diagnostics;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>RFC 9457 problem details for every error a service returns.</summary>
public static class ProblemDetailsExtensions
{
    /// <summary>Registers problem details, the exception handler and strict request binding.</summary>
    public static TBuilder AddPlatformProblemDetails<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            // The correlation middleware has put the resolved id on the request.
            var correlationId = context.HttpContext.Request.Headers[CorrelationId.HeaderName].ToString();
            if (correlationId.Length > 0)
            {
                context.ProblemDetails.Extensions["correlationId"] = correlationId;
            }
            if (Activity.Current is { } activity)
            {
                context.ProblemDetails.Extensions["traceId"] = activity.TraceId.ToHexString();
            }
        });
        // After the framework's writer, so it answers when that one declines (a caller that accepts no JSON).
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();

        // Binding failures (malformed JSON, wrong types, missing required values) throw so that the exception
        // handler can say which parameter failed, instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }
}
