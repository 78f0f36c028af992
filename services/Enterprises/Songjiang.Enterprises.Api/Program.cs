using Songjiang.Enterprises.Api;

// The composition lives in EnterprisesModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapEnterprisesApi().
var builder = WebApplication.CreateBuilder(args);
var app = EnterprisesModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
