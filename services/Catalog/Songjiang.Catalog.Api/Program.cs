using Songjiang.Catalog.Api;

// The composition lives in CatalogModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapCatalogApi().
var builder = WebApplication.CreateBuilder(args);
var app = CatalogModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
