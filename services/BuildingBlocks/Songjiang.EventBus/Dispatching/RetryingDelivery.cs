using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Delivers one message the way both the in-process and the RabbitMQ transports promise: up to
/// <see cref="EventBusOptions.MaxRetries"/> retries with back-off, then a dead-letter verdict. Messages that can never
/// succeed (not a CloudEvent, unknown data) are dead-lettered without retries.
/// </summary>
internal sealed partial class RetryingDelivery(
    EventDispatcher dispatcher,
    IOptions<EventBusOptions> options,
    ILogger<RetryingDelivery> logger)
{
    private readonly EventBusOptions _options = options.Value;

    /// <returns>Null when delivered; otherwise the reason to dead-letter the message.</returns>
    /// <exception cref="OperationCanceledException">The application is stopping; the message must go back to its queue.</exception>
    public async Task<string?> DeliverAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var topicTag = EventBusDiagnostics.TopicTag(topic);
        var appTag = EventBusDiagnostics.AppTag(_options.AppId);
        ReceivedCloudEvent? envelope = null;
        for (var retry = 0; ; retry++)
        {
            try
            {
                // Parsed once; every attempt deserialises the data afresh, so a handler cannot see a previous attempt's object.
                envelope ??= CloudEventFormat.Parse(body);
                await dispatcher.DispatchAsync(topic, envelope, ct);
                EventBusDiagnostics.Delivered.Add(1, topicTag, appTag);
                return null;
            }
            catch (InvalidEnvelopeException ex)
            {
                LogInvalid(ex, topic);
                EventBusDiagnostics.DeadLettered.Add(1, topicTag, appTag);
                return ex.Message;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                if (retry >= _options.MaxRetries)
                {
                    LogGivenUp(ex, topic, retry + 1);
                    EventBusDiagnostics.DeadLettered.Add(1, topicTag, appTag);
                    return $"{ex.GetType().Name}: {ex.Message}";
                }

                var delay = RetryBackoff.Delay(retry, _options.RetryBaseDelay, _options.RetryMaxDelay);
                LogRetry(ex, topic, retry + 1, delay);
                EventBusDiagnostics.Retried.Add(1, topicTag, appTag);
                await Task.Delay(delay, ct);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Dead-lettering a message on {Topic} that cannot be handled")]
    private partial void LogInvalid(Exception ex, string topic);

    [LoggerMessage(LogLevel.Error, "Dead-lettering an event on {Topic} after {Attempts} failed attempts")]
    private partial void LogGivenUp(Exception ex, string topic, int attempts);

    [LoggerMessage(LogLevel.Warning, "Handling an event on {Topic} failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogRetry(Exception ex, string topic, int attempt, TimeSpan delay);
}
