using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows.Tests.Infrastructure;

/// <summary>Binds the runtime to the test outbox table the way a host binds it to its real outbox.</summary>
public sealed class TestOutboxPublisher : IWorkflowEventPublisher
{
    public void Enqueue(DbContext db, string topic, JsonElement payload, string correlationId) =>
        db.Add(new OutboxRow { Topic = topic, Payload = payload.GetRawText(), CorrelationId = correlationId });
}

/// <summary>Throws at the N-th step, simulating a process killed at that point of a transaction.</summary>
public sealed class CrashAtStep(int crashAt) : IWorkflowStepObserver
{
    public int Steps { get; private set; }

    public void OnStep(WorkflowStep step)
    {
        if (++Steps == crashAt) throw new SimulatedCrashException();
    }
}

public sealed class SimulatedCrashException() : Exception("simulated crash");
