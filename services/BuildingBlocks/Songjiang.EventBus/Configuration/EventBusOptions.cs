using System.ComponentModel.DataAnnotations;

namespace Songjiang.EventBus;

/// <summary>Settings of the event bus, bound from the <c>EventBus</c> configuration section.</summary>
public sealed class EventBusOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EventBus";

    /// <summary>The transport; <see cref="EventBusTransport.InMemory"/> unless configured.</summary>
    public EventBusTransport Transport { get; set; } = EventBusTransport.InMemory;

    /// <summary>
    /// Name of this application as a consumer (Dapr's app id). Queues are named <c>{AppId}-{topic}</c>, so replicas
    /// of one application share the work and different applications each get every event. Defaults to the host's
    /// application name in lower case with dashes (<c>Songjiang.Cases.Api</c> → <c>songjiang-cases-api</c>).
    /// </summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9-]*$", ErrorMessage = "EventBus:AppId must be lower-case letters, digits and dashes.")]
    public string AppId { get; set; } = "";

    /// <summary>Retries after the first failed attempt before the event is dead-lettered.</summary>
    [Range(0, 50)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>Delay before the first retry; doubled for each further retry, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of the retry back-off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events one application instance handles at the same time (RabbitMQ prefetch; in-process workers).</summary>
    [Range(1, 1000)]
    public int Prefetch { get; set; } = 16;

    /// <summary>RabbitMQ settings, used when <see cref="Transport"/> is <see cref="EventBusTransport.RabbitMQ"/>.</summary>
    public RabbitMqOptions RabbitMQ { get; set; } = new();

    /// <summary>Dapr settings, used when <see cref="Transport"/> is <see cref="EventBusTransport.Dapr"/>.</summary>
    public DaprOptions Dapr { get; set; } = new();
}
