using Songjiang.Cases.Api;

// The composition lives in CasesModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapCasesApi().
var builder = WebApplication.CreateBuilder(args);
var app = CasesModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
