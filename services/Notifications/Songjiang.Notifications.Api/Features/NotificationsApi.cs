using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;

namespace Songjiang.Notifications.Api.Features;

/// <summary>The caller's inbox: its own messages, its enterprise's, and its department queue's; nobody else's.</summary>
public static class NotificationsApi
{
    /// <summary>Maps <c>/api/notifications</c>.</summary>
    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/notifications").WithTags("Inbox").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", ListAsync).WithName("ListNotifications")
            .WithSummary("The caller's messages, newest first; filters: unread, category, subject (application, licence or policy).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/unread-count", UnreadAsync).WithName("UnreadCount").WithSummary("How many of the caller's messages are unread.");
        api.MapPost("/{id:guid}/read", ReadAsync).WithName("MarkRead").WithSummary("Marks one of the caller's messages read.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/read-all", ReadAllAsync).WithName("MarkAllRead")
            .WithSummary("Marks all the caller's unread messages read (of one category, when given).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static async Task<Ok<ResultPage<NotificationView>>> ListAsync(
        ClaimsPrincipal user, NotificationsDbContext db, bool? unread, string? category, string? subject, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var request = Paging(page, pageSize);
        var query = Visible(db, user);
        if (unread is true)
        {
            query = query.Where(n => n.ReadAt == null);
        }
        else if (unread is false)
        {
            query = query.Where(n => n.ReadAt != null);
        }
        if (CategoryOf(category) is { } wanted)
        {
            query = query.Where(n => n.Category == wanted);
        }
        if (!string.IsNullOrWhiteSpace(subject))
        {
            var key = subject.Trim();
            query = query.Where(n => n.Subject == key);
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(n => n.Sequence).Skip(request.Skip).Take(request.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<NotificationView>([.. rows.Select(NotificationView.Of)], request.Page, request.PageSize, total));
    }

    private static async Task<Ok<UnreadCount>> UnreadAsync(ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCount(await Visible(db, user).CountAsync(n => n.ReadAt == null, cancellationToken)));

    private static async Task<Ok<NotificationView>> ReadAsync(
        Guid id, ClaimsPrincipal user, NotificationsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var keys = Recipients.Of(user);
        // Another inbox's message answers exactly like a missing one.
        var message = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id && keys.Contains(n.Recipient), cancellationToken)
            ?? throw new NotFoundException("没有找到这条消息。");
        if (message.MarkRead(UserId(user), clock.GetUtcNow()))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok(NotificationView.Of(message));
    }

    private static async Task<Ok<MarkedCount>> ReadAllAsync(
        ClaimsPrincipal user, NotificationsDbContext db, TimeProvider clock, string? category, CancellationToken cancellationToken)
    {
        var query = Visible(db, user).Where(n => n.ReadAt == null);
        if (CategoryOf(category) is { } wanted)
        {
            query = query.Where(n => n.Category == wanted);
        }
        var now = clock.GetUtcNow();
        var by = UserId(user);
        var marked = await query.ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now).SetProperty(n => n.ReadBy, by), cancellationToken);
        return TypedResults.Ok(new MarkedCount(marked));
    }

    /// <summary>The messages of the caller's inboxes.</summary>
    public static IQueryable<Notification> Visible(NotificationsDbContext db, ClaimsPrincipal user)
    {
        var keys = Recipients.Of(user);
        return db.Notifications.AsNoTracking().Where(n => keys.Contains(n.Recipient));
    }

    /// <summary>A category from the query string; an unknown name is a 400 naming the field.</summary>
    public static NotificationCategory? CategoryOf(string? category)
    {
        if (string.IsNullOrWhiteSpace(category))
        {
            return null;
        }
        return Enum.TryParse<NotificationCategory>(category.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ValidationFailedException("category",
                $"没有“{category.Trim()}”这一消息类别；可选：{string.Join("、", Enum.GetValues<NotificationCategory>().Select(c => $"{c}（{NotificationCategories.DisplayName(c)}）"))}。");
    }

    private static PageRequest Paging(int? page, int? pageSize)
    {
        if (page is < 1)
        {
            throw new ValidationFailedException("page", "页码从 1 开始。");
        }
        if (pageSize is < 1 or > PageRequest.MaxPageSize)
        {
            throw new ValidationFailedException("pageSize", $"每页条数须在 1 到 {PageRequest.MaxPageSize} 之间。");
        }
        return PageRequest.Of(page, pageSize);
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";
}
