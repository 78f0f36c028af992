using System.Globalization;
using Songjiang.EventBus.Benchmarks;

// Publish-and-consume throughput and end-to-end latency of the RabbitMQ transport against the raw client, in one
// process on one broker. Usage: [events] [in-flight] [prefetch] [rounds]; broker from SONGJIANG_TEST_RABBITMQ, outbox
// database from SONGJIANG_TEST_POSTGRES (a superuser connection string; the driver creates and drops its database).
// "profile [iterations]" instead measures the transport's own work per event without a broker (and, with
// SONGJIANG_TEST_POSTGRES, the outbox's commit and relay one thread at a time).
if (args is ["profile", ..])
{
    var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
    await HotPathProfile.RunAsync(iterations);
    if (Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES") is { } database)
    {
        await OutboxProfile.RunAsync(database, Math.Max(iterations / 40, 1_000));
    }

    return;
}

var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var inFlight = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var prefetch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
var broker = new Uri(Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ")
    ?? throw new InvalidOperationException("Set SONGJIANG_TEST_RABBITMQ (scripts/test-services.sh start)."));
var postgres = Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES");

Console.WriteLine($"{events} events of 1 KB, {inFlight} in flight, prefetch {prefetch}; warm-up round first");
await RawClientRun.RunAsync(broker, 2_000, inFlight, prefetch);
await EventBusRun.RunAsync(broker, postgres, 2_000, inFlight, prefetch, outbox: false);

// Alternate the runs, and which of the two goes first, so drift on the shared machine affects each side alike.
var rows = new List<(int Round, RunResult Result, double Ratio)>();
for (var round = 0; round < rounds; round++)
{
    var loadBefore = LoadAverage();
    RunResult raw, bus;
    if (round % 2 == 0)
    {
        raw = await RawClientRun.RunAsync(broker, events, inFlight, prefetch);
        bus = await EventBusRun.RunAsync(broker, postgres, events, inFlight, prefetch, outbox: false);
    }
    else
    {
        bus = await EventBusRun.RunAsync(broker, postgres, events, inFlight, prefetch, outbox: false);
        raw = await RawClientRun.RunAsync(broker, events, inFlight, prefetch);
    }

    var results = new List<RunResult> { raw, bus };
    if (postgres is not null)
    {
        results.Add(await EventBusRun.RunAsync(broker, postgres, events, inFlight, prefetch, outbox: true));
        results.Add(await PostgresCeilingRun.RunAsync(postgres, events, inFlight, EventBusRun.EnvelopeBytes));
    }

    Console.WriteLine();
    Console.WriteLine($"round {round + 1} (load average before: {loadBefore}; after: {LoadAverage()})");
    Console.WriteLine("| path | events/s | ratio to raw | p50 ms | p99 ms | client CPU µs/event | database | broker | machine CPU µs/event |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    foreach (var result in results)
    {
        rows.Add((round, result, result.Rate / raw.Rate));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {result.Name} | {result.Rate:N0} | {result.Rate / raw.Rate:F2} | {result.P50Ms:F1} | {result.P99Ms:F1} | {result.CpuMicrosecondsPerEvent:F0} | {result.DatabaseCpuMicrosecondsPerEvent:F0} | {result.BrokerCpuMicrosecondsPerEvent:F0} | {result.MachineCpuMicrosecondsPerEvent:F0} |"));
    }
}

// Single rounds on a shared machine are noisy: the medians over all rounds, and each round's ratio.
Console.WriteLine();
Console.WriteLine($"median of {rounds} rounds");
Console.WriteLine("| path | events/s | ratio to raw | ratios per round | p50 ms | p99 ms | client CPU µs/event | database | broker | machine CPU µs/event |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var path in rows.GroupBy(r => r.Result.Name))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {path.Key} | {Median(path.Select(r => r.Result.Rate)):N0} | {Median(path.Select(r => r.Ratio)):F2} | " +
        $"{string.Join(", ", path.Select(r => r.Ratio.ToString("F2", CultureInfo.InvariantCulture)))} | " +
        $"{Median(path.Select(r => r.Result.P50Ms)):F1} | {Median(path.Select(r => r.Result.P99Ms)):F1} | " +
        $"{Median(path.Select(r => r.Result.CpuMicrosecondsPerEvent)):F0} | {Median(path.Select(r => r.Result.DatabaseCpuMicrosecondsPerEvent)):F0} | " +
        $"{Median(path.Select(r => r.Result.BrokerCpuMicrosecondsPerEvent)):F0} | {Median(path.Select(r => r.Result.MachineCpuMicrosecondsPerEvent)):F0} |"));
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

// Other work shares the machine; its load is part of every figure.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
