using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>
/// The baseline: RabbitMQ.Client alone, with what the transport guarantees and nothing more: a durable fanout
/// exchange and queue, persistent 1 KB messages, publisher confirms awaited per message with the same number in
/// flight, manual acks with the same prefetch. The publish time travels in a header for the latency.
/// </summary>
public static class RawClientRun
{
    public static async Task<RunResult> RunAsync(Uri broker, int events, int inFlight, int prefetch)
    {
        var name = $"bench-raw-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = broker, ConsumerDispatchConcurrency = (ushort)prefetch };
        await using var publisherConnection = await factory.CreateConnectionAsync("bench-raw-publisher");
        await using var consumerConnection = await factory.CreateConnectionAsync("bench-raw-consumer");
        await using var publisher = await publisherConnection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await using var consumer = await consumerConnection.CreateChannelAsync();

        await consumer.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false);
        await consumer.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
        await consumer.QueueBindAsync(name, name, "");
        await consumer.BasicQosAsync(0, (ushort)prefetch, false);

        var recorder = new RunRecorder(events);
        var receiver = new AsyncEventingBasicConsumer(consumer);
        receiver.ReceivedAsync += async (_, message) =>
        {
            recorder.Record((long)message.BasicProperties.Headers!["sent-at"]!);
            await consumer.BasicAckAsync(message.DeliveryTag, false);
        };
        await consumer.BasicConsumeAsync(name, autoAck: false, receiver);

        var body = new byte[1024];
        Random.Shared.NextBytes(body);
        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (_, ct) =>
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/octet-stream",
                Headers = new Dictionary<string, object?> { ["sent-at"] = Stopwatch.GetTimestamp() },
            };
            await publisher.BasicPublishAsync(name, "", mandatory: false, properties, body, ct);
        });
        await recorder.Done.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = CpuSample.Take() - cpu;

        await consumer.QueueDeleteAsync(name);
        await consumer.ExchangeDeleteAsync(name);
        return new RunResult("raw RabbitMQ.Client, confirms", events, elapsed, recorder.Percentile(0.5), recorder.Percentile(0.99), cpu);
    }
}
