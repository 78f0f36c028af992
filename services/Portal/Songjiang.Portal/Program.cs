using Songjiang.Portal;

// The composition lives in PortalModule so that this process and the embedded host build the portal alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapPortal().
var builder = WebApplication.CreateBuilder(args);
var app = PortalModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
