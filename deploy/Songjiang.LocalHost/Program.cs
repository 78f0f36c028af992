using Songjiang.LocalHost;

// The embedded platform: every service and the gateway in this one process, on loopback, with SQLite files
// under ./data. Settings: appsettings.json beside the program, environment variables, command-line arguments.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: false)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
var environment = configuration["DOTNET_ENVIRONMENT"] ?? configuration["ASPNETCORE_ENVIRONMENT"] ?? "Development";

await using var platform = await PlatformHost.StartAsync(configuration, environment);
Console.WriteLine(Banner.Describe(platform));
await platform.WaitForShutdownAsync();
Console.WriteLine("Stopping the platform...");
