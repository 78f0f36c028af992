using Songjiang.Gateway.Extensions;
using Songjiang.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGateway();

app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
