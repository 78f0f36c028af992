using Songjiang.Exchange.Api;

// The composition lives in ExchangeModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddApplicationServices() → Build() → MapDefaultEndpoints() → MapExchangeApi().
var builder = WebApplication.CreateBuilder(args);
var app = ExchangeModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
