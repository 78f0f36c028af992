namespace Songjiang.EventBus;

/// <summary>
/// Runs one handler for one event. The default runs it directly; the EF Core inbox replaces it to run the handler in a
/// transaction that also records the event id, so a redelivered event has its effect once.
/// </summary>
internal interface IHandlerInvoker
{
    Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct);
}

/// <summary>One handler call; a value, so dispatching it allocates neither an object nor a closure.</summary>
/// <param name="Services">The scope the handler was resolved from; one scope per handler and attempt.</param>
/// <param name="Event">The event.</param>
/// <param name="Consumer">Stable name of the consumer (<c>{appId}/{handler type}</c>), the inbox key with the envelope's source and id.</param>
/// <param name="Handler">The handler to call.</param>
/// <param name="Source">The envelope's <c>source</c>: with <paramref name="MessageId"/> the CloudEvent's identity.</param>
/// <param name="MessageId">
/// The envelope's <c>id</c>. CloudEvents makes <c>source</c> + <c>id</c> unique per event, whatever the payload holds, so
/// the inbox keys on these rather than on <see cref="IntegrationEvent.Id"/>, which a producer outside the platform may not send.
/// </param>
internal readonly record struct HandlerInvocation(
    IServiceProvider Services,
    IntegrationEvent Event,
    string Consumer,
    EventHandlerDescriptor Handler,
    string Source,
    string MessageId)
{
    /// <summary>Calls the handler.</summary>
    public Task Handle(CancellationToken ct) => Handler.Invoke(Services, Event, ct);
}

internal sealed class DirectHandlerInvoker : IHandlerInvoker
{
    public Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct) => invocation.Handle(ct);
}
