using Songjiang.ServiceDefaults.Time;
using Songjiang.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Songjiang.Identity.Api.Throttling;

/// <summary>
/// Throttles <c>POST /connect/token</c> per client and per source address: a failed client authentication (401, a
/// wrong secret) counts for the client, and every failed request (a wrong secret, a bad grant or password, a malformed
/// request) for the address; a locked client or address is answered 429 with
/// <c>Retry-After</c> before its request is even checked. It runs ahead of OpenIddict, which answers a wrong client
/// secret itself without reaching the endpoint.
/// </summary>
public sealed class TokenEndpointThrottle(RequestDelegate next, IOptions<ThrottlingOptions> options, ILogger<TokenEndpointThrottle> logger)
{
    /// <summary>The token endpoint.</summary>
    public const string Path = "/connect/token";

    /// <summary>Handles one token request.</summary>
    public async Task InvokeAsync(HttpContext context, AttemptThrottle throttle)
    {
        var cancellationToken = context.RequestAborted;
        var clientId = await ClientIdOfAsync(context.Request, cancellationToken);
        var address = context.Connection.RemoteIpAddress is { } remote
            ? AttemptThrottle.KeyOf(AttemptThrottle.Address, remote.ToString())
            : null;
        var client = string.IsNullOrWhiteSpace(clientId) ? null : AttemptThrottle.KeyOf(AttemptThrottle.Client, clientId);

        foreach (var key in new[] { address, client }.OfType<string>())
        {
            if (await throttle.LockedUntilAsync(key, cancellationToken) is { } until)
            {
                await RefuseAsync(context, until);
                return;
            }
        }

        await next(context);

        var status = context.Response.StatusCode;
        if (address is not null && status is StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized)
        {
            await RecordAsync(throttle, address, options.Value.Addresses);
        }
        // Wrong passwords are the accounts' to count: a public client shared by many users is not locked by one of them.
        if (client is not null && status == StatusCodes.Status401Unauthorized)
        {
            await RecordAsync(throttle, client, options.Value.Clients);
        }
    }

    private async Task RecordAsync(AttemptThrottle throttle, string key, ThrottleRule rule)
    {
        if (await throttle.RecordFailureAsync(key, rule, CancellationToken.None) is { } lockedUntil)
        {
            logger.LogWarning("Token requests of {Subject} locked until {LockedUntil} after repeated failures", key, lockedUntil);
        }
    }

    // The client id is in the form (client_secret_post, public clients) or in HTTP Basic authentication.
    private static async Task<string?> ClientIdOfAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return Uri.UnescapeDataString(colon < 0 ? decoded : decoded[..colon]);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        if (!request.HasFormContentType)
        {
            return null;
        }
        try
        {
            // Buffered by the framework: OpenIddict reads the same form afterwards.
            var form = await request.ReadFormAsync(cancellationToken);
            return form["client_id"].ToString();
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static async Task RefuseAsync(HttpContext context, DateTimeOffset until)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var china = ChinaTime.Minute(until);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = ProblemTitles.TooManyRequests,
            Detail = $"失败的令牌请求过多，请于 {china}（北京时间）后再试。",
        };
        // OAuth clients read "error" (RFC 6749 §5.2); people read the detail.
        problem.Extensions["error"] = "temporarily_unavailable";
        problem.Extensions["error_description"] = problem.Detail;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}

/// <summary>Puts <see cref="TokenEndpointThrottle"/> in front of the whole pipeline, where OpenIddict cannot pre-empt it.</summary>
internal sealed class TokenEndpointThrottleStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWhen(
            context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(TokenEndpointThrottle.Path, StringComparison.OrdinalIgnoreCase),
            branch =>
            {
                // The source address as the trusted gateway reports it; the main pipeline's own pass finds nothing left.
                branch.UseForwardedHeaders();
                branch.UseMiddleware<TokenEndpointThrottle>();
            });
        next(app);
    };
}
