using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows;

/// <summary>
/// Binds service tasks and timer notifications to the host's transactional outbox. <see cref="Enqueue"/> runs
/// inside the resume transaction: it must only add the event to the given DbContext (e.g. an outbox row),
/// never send it, so the event is stored if and only if the step commits.
/// </summary>
public interface IWorkflowEventPublisher
{
    /// <summary>Adds an integration event to the current unit of work of <paramref name="db"/>.</summary>
    /// <param name="db">The host's DbContext that the runtime is saving.</param>
    /// <param name="topic">Event name from the definition, e.g. <c>case.accepted</c>.</param>
    /// <param name="payload">Event body built from the node's payload expressions.</param>
    /// <param name="correlationId">The instance's business key.</param>
    void Enqueue(DbContext db, string topic, JsonElement payload, string correlationId);
}

/// <summary>
/// Observes each step inside a resume transaction before it runs (diagnostics and fault-injection tests).
/// Throwing aborts the transaction, exactly as a crashed process would.
/// </summary>
public interface IWorkflowStepObserver
{
    /// <summary>Called before a node executes and before the transaction commits.</summary>
    void OnStep(WorkflowStep step);
}
