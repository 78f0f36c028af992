using System.Diagnostics;
using System.Globalization;
using System.Text;
using Songjiang.LoadDriver;

// The end-to-end load driver: starts the embedded host and then the distributed mode, drives a fixed number of
// applications through the gateway in each, from upload and submission to the licence, and reports applications
// completed per second, latencies and the CPU per application of every process.
// Usage: [applications] [enterprises] [caseworkers] [modes: embedded,distributed] [work folder]
// Needs the Release build in artifacts/ (bench/load.sh builds it first).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var applications = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var enterprises = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var caseworkers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var modes = (args.Length > 3 ? args[3] : "embedded,distributed").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var work = Path.GetFullPath(args.Length > 4 ? args[4] : Path.Combine(Path.GetTempPath(), $"songjiang-load-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
var repository = Repository();
var warmUp = Math.Max(10, applications / 10);

Console.WriteLine($"{applications} applications of {Report.Matter} per mode (after {warmUp} unmeasured), {enterprises} enterprises submitting at once, " +
    $"{caseworkers} caseworkers per desk; {Environment.ProcessorCount} cores; logs and data in {work}");

var results = new List<ModeResult>();
foreach (var mode in modes)
{
    var folder = Directory.CreateDirectory(Path.Combine(work, mode)).FullName;
    Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] starting the {mode} platform");
    var starting = Stopwatch.GetTimestamp();
    await using var platform = mode switch
    {
        "embedded" => await Platforms.StartEmbeddedAsync(repository, folder),
        "distributed" => await Platforms.StartDistributedAsync(repository, folder),
        _ => throw new ArgumentException($"Unknown mode '{mode}': embedded or distributed."),
    };
    var startup = Stopwatch.GetElapsedTime(starting);
    Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] ready after {startup.TotalSeconds:F0} s; warming up");

    using var gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = platform.Gateway,
        Timeout = TimeSpan.FromSeconds(100),
    };
    var workload = new Workload(gateway, enterprises, caseworkers);
    await workload.SignInAsync();
    var warm = await workload.RunAsync(warmUp, TimeSpan.FromMinutes(5));
    Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] warm-up: {warm.Completed} of {warmUp} licensed; measuring");

    var load = Report.LoadAverage();
    var before = Report.Cpu(platform);
    var run = await workload.RunAsync(applications, TimeSpan.FromSeconds(Math.Max(300, applications * 2)));
    var after = Report.Cpu(platform);
    var cpu = after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);
    results.Add(new ModeResult(platform.Mode, startup, run, cpu, load, Report.LoadAverage()));
    Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {run.Completed} of {applications} licensed in {run.Elapsed.TotalSeconds:F1} s; stopping");
    foreach (var error in run.Errors.Take(10))
    {
        Console.WriteLine("  error: " + error);
    }
}

var report = Report.Markdown(results, applications, enterprises, caseworkers);
Console.WriteLine();
Console.WriteLine(report);
await File.WriteAllTextAsync(Path.Combine(work, "report.md"), report, Encoding.UTF8);

static string Repository()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "Songjiang.Platform.sln")))
        {
            return folder.FullName;
        }
    }

    throw new InvalidOperationException("Run the driver from the repository's artifacts folder (bench/load.sh).");
}
