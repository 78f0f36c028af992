using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Songjiang.EventBus;

/// <summary>
/// Declares the topic of an integration event: a stable, versioned name such as
/// <c>cases.application-submitted.v1</c>. The topic is the contract on the wire (the CloudEvents <c>type</c>, the
/// RabbitMQ exchange and the Dapr topic), so renaming the CLR type never breaks a consumer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed partial class IntegrationEventAttribute : Attribute
{
    private static readonly ConcurrentDictionary<Type, string> Topics = new();

    /// <summary>Declares the topic of the event.</summary>
    /// <param name="topic">Lower-case dotted name ending in a version, e.g. <c>licenses.license-issued.v1</c>.</param>
    public IntegrationEventAttribute(string topic)
    {
        if (!TopicPattern().IsMatch(topic))
        {
            throw new ArgumentException(
                $"Topic '{topic}' must be lower-case dotted words ending in a version, e.g. 'cases.application-submitted.v1'.",
                nameof(topic));
        }

        Topic = topic;
    }

    /// <summary>The versioned topic name.</summary>
    public string Topic { get; }

    /// <summary>Returns the topic declared on <paramref name="eventType"/>.</summary>
    /// <exception cref="InvalidOperationException">The type carries no <see cref="IntegrationEventAttribute"/>.</exception>
    public static string TopicOf(Type eventType) =>
        Topics.GetOrAdd(eventType, static type =>
            type.GetCustomAttribute<IntegrationEventAttribute>()?.Topic
            ?? throw new InvalidOperationException(
                $"{type.Name} has no [IntegrationEvent(\"<area>.<event>.v<n>\")] attribute; every integration event needs a stable topic."));

    [GeneratedRegex(@"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[0-9]+$")]
    private static partial Regex TopicPattern();
}
