using Songjiang.PolicyRadar.Api;

// The composition lives in PolicyRadarModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapPolicyRadarApi().
var builder = WebApplication.CreateBuilder(args);
var app = PolicyRadarModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
