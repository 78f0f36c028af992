using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.CaseFlow;

/// <summary>
/// Turns the workflow's boundary-timer notifications (<c>cases.task-overdue</c> for 督办, <c>cases.task-reminder</c>)
/// into <c>cases.task-overdue.v1</c> events in the outbox and marks escalated tasks in the work list — in the timer's
/// own transaction.
/// </summary>
public sealed class TaskEscalations(IOutbox<CasesDbContext> outbox) : IWorkflowEventPublisher
{
    /// <inheritdoc />
    public void Enqueue(DbContext db, string topic, JsonElement payload, string correlationId)
    {
        var cases = (CasesDbContext)db;
        var taskId = payload.TryGetProperty("taskId", out var id) && Guid.TryParse(id.GetString(), out var parsed) ? parsed : Guid.Empty;
        var escalation = payload.TryGetProperty("action", out var action) ? action.GetString() ?? "escalate" : "escalate";
        // The runtime's publisher contract is synchronous; the task row is usually tracked already, else one keyed read.
        var task = cases.Tasks.Local.FirstOrDefault(t => t.Id == taskId) ?? cases.Tasks.Find(taskId);
        if (task is null)
        {
            return;
        }
        if (escalation == "escalate")
        {
            task.Escalated = true;
        }
        outbox.Add(cases, new TaskOverdueIntegrationEvent(
            task.Id, task.ApplicationNumber, task.MatterCode, task.NodeId, task.Title, task.Department, task.ClaimedBy,
            task.DueAt, escalation));
    }
}
