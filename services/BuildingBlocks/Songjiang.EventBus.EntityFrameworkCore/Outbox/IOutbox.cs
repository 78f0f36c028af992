using Microsoft.EntityFrameworkCore;

namespace Songjiang.EventBus;

/// <summary>
/// Adds integration events to <typeparamref name="TContext"/>'s unit of work. They are saved by the caller's own
/// <c>SaveChangesAsync</c> (inside its transaction, if any) and published after the commit; if the change rolls back,
/// so does the event.
/// </summary>
/// <typeparam name="TContext">The service's DbContext, whose model includes <c>AddEventBusOutbox()</c>.</typeparam>
/// <example>
/// <code>
/// db.Applications.Add(application);
/// outbox.Add(new ApplicationSubmittedIntegrationEvent(application.Id));
/// await db.SaveChangesAsync(ct);
/// </code>
/// </example>
public interface IOutbox<TContext>
    where TContext : DbContext
{
    /// <summary>Stages <paramref name="evt"/> in the context; nothing is written until the caller saves.</summary>
    void Add(IntegrationEvent evt);

    /// <summary>
    /// Stages <paramref name="evt"/> in another instance of the context — one a library hands to a callback inside
    /// its own unit of work, such as the workflow runtime's listener — so it commits with that unit.
    /// </summary>
    void Add(TContext context, IntegrationEvent evt);
}
