using Songjiang.Licenses.Api;

// The composition lives in LicensesModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapLicensesApi().
var builder = WebApplication.CreateBuilder(args);
var app = LicensesModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
