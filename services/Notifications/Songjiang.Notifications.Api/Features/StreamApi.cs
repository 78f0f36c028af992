using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Notifications.Api.Streaming;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.OpenApi;
using Songjiang.ServiceDefaults.Problems;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;

namespace Songjiang.Notifications.Api.Features;

/// <summary>
/// <c>GET /api/notifications/stream</c>: the caller's new messages as server-sent events for the browser's
/// <c>EventSource</c>. Each event's id is the message's stream position; a client that reconnects with
/// <c>Last-Event-ID</c> first gets what it missed from the database, then the live messages, none twice.
/// </summary>
public static class StreamApi
{
    private const int CatchUpPage = 500;

    /// <summary>Maps the stream.</summary>
    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/notifications/stream", StreamAsync).WithName("NotificationStream").WithTags("Stream")
            .WithSummary("Server-sent events of the caller's new messages; resumes after Last-Event-ID (header, or lastEventId in the query).")
            .ProducesText("text/event-stream", "The caller's messages as server-sent events (WHATWG HTML, server-sent events), until the client disconnects.",
                "A server-sent event stream in UTF-8. It opens with 'retry: 3000' and a comment line. Each message is one event: "
                + "'id: <the message's stream position>', 'event: notification', 'data: <the message as one line of JSON, a NotificationView "
                + "as GET /api/notifications lists it>', then an empty line. Comment lines (': keep-alive') keep an idle connection "
                + "open. To resume, reconnect with the last id received in Last-Event-ID.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task StreamAsync(
        HttpContext context, ClaimsPrincipal user, StreamHub hub, IServiceScopeFactory scopes, IOptions<JsonOptions> json,
        IOptions<NotificationsOptions> options, string? lastEventId)
    {
        var resumeAfter = ResumePoint(context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId);
        var userId = user.FindFirstValue(PlatformClaims.Subject) ?? throw new ForbiddenException("无法识别调用者身份。");
        var recipients = Recipients.Of(user);
        var aborted = context.RequestAborted;

        var response = context.Response;
        response.Headers.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        // Tells nginx-style proxies in front of the gateway not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var connection = await hub.OpenAsync(userId, recipients, aborted);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Closed);
        try
        {
            await WriteAsync(response, "retry: 3000\n: 已连接\n\n", stop.Token);
            var last = resumeAfter ?? connection.StartPosition;
            // Everything after the resume point that is already stored; the hub delivers what comes after it,
            // and positions at or below the last one written are skipped, so nothing comes twice.
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
                while (true)
                {
                    var after = last;
                    var page = await db.Notifications.AsNoTracking()
                        .Where(n => recipients.Contains(n.Recipient) && n.Sequence > after)
                        .OrderBy(n => n.Sequence).Take(CatchUpPage).ToListAsync(stop.Token);
                    foreach (var row in page)
                    {
                        await WriteEventAsync(response, NotificationView.Of(row), json.Value.SerializerOptions, stop.Token);
                        last = row.Sequence;
                    }
                    if (page.Count < CatchUpPage)
                    {
                        break;
                    }
                }
            }

            var heartbeat = options.Value.StreamHeartbeat;
            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(heartbeat);
                try
                {
                    while (await connection.Live.Reader.WaitToReadAsync(wait.Token))
                    {
                        while (connection.Live.Reader.TryRead(out var view))
                        {
                            if (view.Sequence > last)
                            {
                                await WriteEventAsync(response, view, json.Value.SerializerOptions, stop.Token);
                                last = view.Sequence;
                            }
                        }
                    }
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await WriteAsync(response, ": keep-alive\n\n", stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client left, or the hub closed the stream; the client resumes with Last-Event-ID.
        }
        finally
        {
            hub.Close(connection);
        }
    }

    private static long? ResumePoint(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw new ValidationFailedException("Last-Event-ID", "Last-Event-ID 应为上次收到的消息序号（非负整数）。");
    }

    private static Task WriteEventAsync(HttpResponse response, NotificationView view, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(view, json);
        return WriteAsync(response, $"id: {view.Sequence.ToString(CultureInfo.InvariantCulture)}\nevent: notification\ndata: {data}\n\n", cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
