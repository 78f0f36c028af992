using System.Globalization;
using Songjiang.EventBus.Benchmarks;

// Publish-and-consume throughput and end-to-end latency of the RabbitMQ transport against the raw client, in one
// process on one broker. Usage: [events] [in-flight] [prefetch]; broker from SONGJIANG_TEST_RABBITMQ, outbox
// database from SONGJIANG_TEST_POSTGRES (a superuser connection string; the driver creates and drops its database).
var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var inFlight = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var prefetch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var broker = new Uri(Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ")
    ?? throw new InvalidOperationException("Set SONGJIANG_TEST_RABBITMQ (scripts/test-services.sh start)."));
var postgres = Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES");

Console.WriteLine($"{events} events of 1 KB, {inFlight} in flight, prefetch {prefetch}; warm-up round first");
await RawClientRun.RunAsync(broker, 2_000, inFlight, prefetch);
await EventBusRun.RunAsync(broker, postgres, 2_000, inFlight, prefetch, outbox: false);

// Alternate the runs twice so drift on the shared machine affects each side alike.
var results = new List<RunResult>();
for (var round = 0; round < 2; round++)
{
    var raw = await RawClientRun.RunAsync(broker, events, inFlight, prefetch);
    var bus = await EventBusRun.RunAsync(broker, postgres, events, inFlight, prefetch, outbox: false);
    results.Add(raw);
    results.Add(bus);
    if (postgres is not null)
    {
        results.Add(await EventBusRun.RunAsync(broker, postgres, events, inFlight, prefetch, outbox: true));
    }

    Console.WriteLine();
    Console.WriteLine($"round {round + 1}");
    Console.WriteLine("| path | events/s | ratio to raw | p50 ms | p99 ms |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var result in results.Skip(results.Count - (postgres is null ? 2 : 3)))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {result.Name} | {result.Rate:N0} | {result.Rate / raw.Rate:F2} | {result.P50Ms:F1} | {result.P99Ms:F1} |"));
    }
}
