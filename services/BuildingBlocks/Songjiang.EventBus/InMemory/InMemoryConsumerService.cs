using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Reads this application's in-process queues with <see cref="EventBusOptions.Prefetch"/> workers per topic, with
/// the same retry and dead-letter rules as the broker transports.
/// </summary>
internal sealed class InMemoryConsumerService(
    InMemoryBroker broker,
    EventSubscriptions subscriptions,
    RetryingDelivery delivery,
    IOptions<EventBusOptions> options,
    TimeProvider time) : BackgroundService
{
    private readonly EventBusOptions _options = options.Value;
    private (string Topic, InMemoryQueue Queue)[] _queues = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bind before the host reports started (ExecuteAsync runs later, on the thread pool): from then on every
        // published event is kept for this application, as in a durable broker queue.
        _queues = subscriptions.All.Select(s => (s.Topic, broker.Bind(_options.AppId, s.Topic))).ToArray();
        foreach (var (_, queue) in _queues)
        {
            // Publishers through the outbox now wait for this service's acknowledgement of what they queue here.
            queue.Attach();
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        finally
        {
            foreach (var (_, queue) in _queues)
            {
                queue.Detach();
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.SelectMany(q =>
            Enumerable.Range(0, _options.Prefetch).Select(_ => ConsumeAsync(q.Topic, q.Queue, stoppingToken))));

    private async Task ConsumeAsync(string topic, InMemoryQueue queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            InMemoryMessage message;
            try
            {
                message = await queue.DequeueAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await delivery.DeliverAsync(topic, message.Body, ct) is { } reason)
                {
                    broker.DeadLettersOf(_options.AppId).Add(new DeadLetter(
                        message.MessageId, topic, time.GetUtcNow(), reason, System.Text.Encoding.UTF8.GetString(message.Body.Span)));
                }

                // Handled or dead-lettered: only now may the publisher's outbox row be marked sent.
                queue.Acknowledge(message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopping mid-message: put it back, as a broker does with an unacknowledged message.
                queue.Requeue(message);
                return;
            }
        }
    }
}
