using Songjiang.Gateway;

// The composition lives in GatewayModule so that this process and the embedded host build the service alike:
// AddServiceDefaults() → AddGateway() → Build() → MapDefaultEndpoints() → MapGateway().
var builder = WebApplication.CreateBuilder(args);
var app = GatewayModule.Module.Build(builder);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
