using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Songjiang.EventBus;

/// <summary>
/// Runs each handler in a transaction on <typeparamref name="TContext"/> that also records (envelope id, source, consumer)
/// in the inbox. The key is the CloudEvent's identity, not the payload's id, so an event from a producer whose data has
/// no <c>id</c> is de-duplicated too. A redelivered event finds its row and is skipped; two concurrent deliveries of one event race on the
/// primary key, the loser rolls back its handler's changes and, retried, then finds the row.
/// </summary>
internal sealed partial class InboxHandlerInvoker<TContext>(TimeProvider time, ILogger<InboxHandlerInvoker<TContext>> logger) : IHandlerInvoker
    where TContext : DbContext
{
    public async Task InvokeAsync(HandlerInvocation invocation, CancellationToken ct)
    {
        var db = invocation.Services.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            (db, invocation),
            async (_, state, token) =>
            {
                var (context, call) = state;
                var (id, source) = (call.MessageId, call.Source);
                await using var transaction = await context.Database.BeginTransactionAsync(token);
                if (await context.Set<InboxMessage>().AnyAsync(m => m.EventId == id && m.Source == source && m.Consumer == call.Consumer, token))
                {
                    LogDuplicate(id, source, call.Consumer);
                    return true;
                }

                await call.Handle(token);
                context.Set<InboxMessage>().Add(new InboxMessage
                {
                    EventId = id,
                    Source = source,
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

    [LoggerMessage(LogLevel.Information, "Event {EventId} from {Source} was already handled by {Consumer}; skipping the redelivery")]
    private partial void LogDuplicate(string eventId, string source, string consumer);
}
