using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace Songjiang.Portal.Clients;

/// <summary>
/// The browser's way to the notification service, backend-for-frontend style: <c>GET /api/portal/notifications/stream</c>
/// relays the signed-in user's server-sent events from <c>/api/notifications/stream</c> (with <c>Last-Event-ID</c>), and
/// <c>GET /api/portal/notifications/unread-count</c> answers the badge. The access token stays in the server-side
/// session; the browser only ever holds its session cookie.
/// </summary>
public sealed class NotificationFeed : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of its own: a stream lasts longer than any request timeout or retry policy of the API client.</summary>
    public NotificationFeed(Uri gateway) =>
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/portal/notifications/stream", RelayAsync).RequireAuthorization().ExcludeFromDescription();
        endpoints.MapGet("/api/portal/notifications/unread-count", async (PlatformApi api, CancellationToken cancellationToken) =>
            {
                try
                {
                    var count = await api.GetAsync<UnreadCount>("/api/notifications/unread-count", cancellationToken);
                    return Results.Json(new { unread = count?.Unread ?? 0 });
                }
                catch (ApiProblem problem)
                {
                    return Results.StatusCode((int)problem.Status);
                }
            })
            .RequireAuthorization().ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task RelayAsync(HttpContext context, NotificationFeed feed)
    {
        var token = await context.GetTokenAsync("access_token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/notifications/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 and <= 20 } last)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", last);
        }
        HttpResponseMessage upstream;
        try
        {
            upstream = await feed._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The browser's EventSource retries by itself.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using (upstream)
        {
            context.Response.StatusCode = (int)upstream.StatusCode;
            if (!upstream.IsSuccessStatusCode)
            {
                return;
            }
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache, no-transform";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await using var body = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                // The browser left or the upstream stream ended; EventSource resumes with Last-Event-ID.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>Maps the portal's relay of the notification service.</summary>
public static class NotificationFeedEndpoints
{
    /// <summary>Maps <c>/api/portal/notifications/…</c>.</summary>
    public static IEndpointRouteBuilder MapNotificationFeed(this IEndpointRouteBuilder endpoints) => NotificationFeed.Map(endpoints);
}
