using Songjiang.Notifications.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Notifications.Api;

/// <summary>The notification service's composition, for its own process and for the embedded host.</summary>
public static class NotificationsModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "notifications",
        "Songjiang Notifications (消息中心)",
        typeof(NotificationsModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapNotificationsApi());
}
