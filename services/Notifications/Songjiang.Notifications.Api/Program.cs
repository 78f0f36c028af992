using Songjiang.Notifications.Api;

// The composition lives in NotificationsModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapNotificationsApi().
var builder = WebApplication.CreateBuilder(args);
var app = NotificationsModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
