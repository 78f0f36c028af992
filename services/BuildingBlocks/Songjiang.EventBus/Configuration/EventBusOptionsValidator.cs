using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Checks the settings that depend on each other, so a misconfigured service fails at start, not at its first event.</summary>
internal sealed class EventBusOptionsValidator : IValidateOptions<EventBusOptions>
{
    public ValidateOptionsResult Validate(string? name, EventBusOptions options)
    {
        var failures = new List<string>();
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("EventBus:RetryMaxDelay must not be shorter than EventBus:RetryBaseDelay.");
        }

        if (options.Transport == EventBusTransport.RabbitMQ)
        {
            ValidateRabbitMq(options.RabbitMQ, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateRabbitMq(RabbitMqOptions rabbit, List<string> failures)
    {
        if (rabbit.ConnectionString is { } uri)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            {
                failures.Add("ConnectionStrings:eventbus must be an amqp:// or amqps:// URI.");
            }
        }
        else if (string.IsNullOrWhiteSpace(rabbit.HostName))
        {
            failures.Add("The RabbitMQ transport needs ConnectionStrings:eventbus or EventBus:RabbitMQ:HostName.");
        }

        if (rabbit.PublishTimeout <= TimeSpan.Zero || rabbit.RecoveryInterval <= TimeSpan.Zero)
        {
            failures.Add("EventBus:RabbitMQ:PublishTimeout and RecoveryInterval must be positive.");
        }
    }
}
