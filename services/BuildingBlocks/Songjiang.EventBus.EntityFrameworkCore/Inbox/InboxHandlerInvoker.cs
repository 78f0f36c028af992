using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Songjiang.EventBus;

/// <summary>
/// Runs each handler in a transaction on <typeparamref name="TContext"/> that also records (event id, consumer) in the
/// inbox. A redelivered event finds its row and is skipped; two concurrent deliveries of one event race on the
/// primary key, the loser rolls back its handler's changes and, retried, then finds the row.
/// </summary>
internal sealed partial class InboxHandlerInvoker<TContext>(TimeProvider time, ILogger<InboxHandlerInvoker<TContext>> logger) : IHandlerInvoker
    where TContext : DbContext
{
    public async Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct)
    {
        var db = invocation.Services.GetRequiredService<TContext>();
        var eventId = invocation.Event.Id.ToString();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            (db, invocation, eventId),
            async (_, state, token) =>
            {
                var (context, call, id) = state;
                await using var transaction = await context.Database.BeginTransactionAsync(token);
                if (await context.Set<InboxMessage>().AnyAsync(m => m.EventId == id && m.Consumer == call.Consumer, token))
                {
                    LogDuplicate(id, call.Consumer);
                    return true;
                }

                await call.Handle(token);
                context.Set<InboxMessage>().Add(new InboxMessage
                {
                    EventId = id,
                    Consumer = call.Consumer,
                    ProcessedAt = time.GetUtcNow().UtcDateTime,
                });
                await context.SaveChangesAsync(token);
                await transaction.CommitAsync(token);
                return true;
            },
            verifySucceeded: null,
            ct);
    }

    [LoggerMessage(LogLevel.Information, "Event {EventId} was already handled by {Consumer}; skipping the redelivery")]
    private partial void LogDuplicate(string eventId, string consumer);
}
