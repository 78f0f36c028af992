namespace Songjiang.EventBus;

/// <summary>
/// Runs one handler for one event. The default runs it directly; the EF Core inbox replaces it to run the handler in a
/// transaction that also records the event id, so a redelivered event has its effect once.
/// </summary>
internal interface IHandlerInvoker
{
    Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct);
}

/// <param name="Services">The scope the handler was resolved from; one scope per handler and attempt.</param>
/// <param name="Event">The event.</param>
/// <param name="Consumer">Stable name of the consumer (<c>{appId}/{handler type}</c>), the inbox key with the event id.</param>
/// <param name="Handle">Calls the handler.</param>
internal sealed record HandlerInvocation(
    IServiceProvider Services,
    IntegrationEvent Event,
    string Consumer,
    Func<CancellationToken, Task> Handle);

internal sealed class DirectHandlerInvoker : IHandlerInvoker
{
    public Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct) => invocation.Handle(ct);
}
