using Npgsql;
using Songjiang.Workflows.Benchmarks;

// Load driver: runtime steps/s against raw transactions in the same process, then timer lateness under load.
// Usage: Songjiang.Workflows.Benchmarks [cases] [workers] [pendingTimers] [firingTimers] [rounds]
var admin = Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Set SONGJIANG_TEST_POSTGRES to a PostgreSQL superuser connection string.");
var cases = args.Length > 0 ? int.Parse(args[0]) : 1000;
var workers = args.Length > 1 ? int.Parse(args[1]) : 8;
var pendingTimers = args.Length > 2 ? int.Parse(args[2]) : 100_000;
var firingTimers = args.Length > 3 ? int.Parse(args[3]) : 2_000;
var rounds = args.Length > 4 ? int.Parse(args[4]) : 3;

var name = "wf_bench_" + Guid.NewGuid().ToString("N")[..8];
await Database.ExecuteAsync(admin, $"CREATE DATABASE {name}");
var connection = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 50, MaxAutoPrepare = 50 }.ConnectionString;
try
{
    Console.WriteLine($"PostgreSQL, {Environment.ProcessorCount} cores, {cases} cases x 3 user-task steps, {workers} workers");
    var steps = await StepThroughput.RunAsync(connection, cases, workers, rounds);
    foreach (var (baseline, runtime) in steps)
        Console.WriteLine($"round: baseline {baseline,6:F0} tx/s (update + journal + outbox), runtime {runtime,6:F0} steps/s, ratio {runtime / baseline:F2}");
    var median = steps.OrderBy(s => s.Runtime / s.Baseline).ElementAt(steps.Count / 2);
    Console.WriteLine($"median round: baseline {median.Baseline:F0} tx/s, runtime {median.Runtime:F0} steps/s, ratio {median.Runtime / median.Baseline:F2}");

    var lateness = await TimerLateness.RunAsync(connection, pendingTimers, firingTimers);
    Console.WriteLine($"timers: {pendingTimers} pending, {firingTimers} fired; lateness p50 {lateness.P50:F0} ms, p99 {lateness.P99:F0} ms, max {lateness.Max:F0} ms");
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Database.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
}
