using Songjiang.Identity.Api;

// The composition lives in IdentityModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapIdentityApi().
var builder = WebApplication.CreateBuilder(args);
var app = IdentityModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
