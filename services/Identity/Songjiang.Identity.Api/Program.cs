using Songjiang.Identity.Api.Extensions;
using Songjiang.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapIdentityApi();

app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
