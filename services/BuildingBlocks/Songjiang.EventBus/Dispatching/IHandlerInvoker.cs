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
/// <param name="Consumer">Stable name of the consumer (<c>{appId}/{handler type}</c>), the inbox key with the event id.</param>
/// <param name="Handler">The handler to call.</param>
internal readonly record struct HandlerInvocation(
    IServiceProvider Services,
    IntegrationEvent Event,
    string Consumer,
    EventHandlerDescriptor Handler)
{
    /// <summary>Calls the handler.</summary>
    public Task Handle(CancellationToken ct) => Handler.Invoke(Services, Event, ct);
}

internal sealed class DirectHandlerInvoker : IHandlerInvoker
{
    public Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct) => invocation.Handle(ct);
}
