using Songjiang.LocalHost;

// The embedded platform: every service and the gateway in this one process, on loopback, with SQLite files
// under ./data. Settings: appsettings.json beside the program, environment variables, command-line arguments.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: false)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
// Production unless asked otherwise: callers of the embedded platform are clients like any other, and Development
// would turn on diagnostics meant for the person debugging the process.
var environment = configuration["DOTNET_ENVIRONMENT"] ?? configuration["ASPNETCORE_ENVIRONMENT"] ?? "Production";

await using var platform = await PlatformHost.StartAsync(configuration, environment);
Console.WriteLine(Banner.Describe(platform));
await platform.WaitForShutdownAsync();
Console.WriteLine("Stopping the platform...");
