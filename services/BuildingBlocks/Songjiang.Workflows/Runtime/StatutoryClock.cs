using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// The statutory time limit of a case stops while the applicant corrects materials (补正) and restarts with the
/// working days that were left (《行政许可法》第四十五条 excludes such periods from the time limit).
/// </summary>
internal static class StatutoryClock
{
    public static void PauseIfRunning(InstanceSession session, WorkflowUnitOfWork unit)
    {
        var instance = session.Instance;
        if (session.HoldClock || instance.StatutoryDueAt is not { } due || instance.ClockPausedAt is not null) return;
        instance.ClockPausedAt = unit.Now;
        instance.PausedRemainingWorkingDays = unit.Calendar.RemainingWorkingDays(unit.Now, due);
        session.Journal(WorkflowActor.System, JournalActions.ClockPaused, null,
            delta: new JsonObject { ["remainingWorkingDays"] = instance.PausedRemainingWorkingDays });
    }

    public static void ResumeIfNoLongerWaiting(InstanceSession session, WorkflowUnitOfWork unit)
    {
        var instance = session.Instance;
        if (session.HoldClock || instance.ClockPausedAt is null || session.Ended || session.Waiting.Any(t => PausesClock(session, t))) return;
        instance.StatutoryDueAt = unit.Calendar.DueAt(unit.Now, instance.PausedRemainingWorkingDays ?? 0);
        instance.ClockPausedAt = null;
        instance.PausedRemainingWorkingDays = null;
        session.Journal(WorkflowActor.System, JournalActions.ClockResumed, null,
            delta: new JsonObject { ["statutoryDueAt"] = instance.StatutoryDueAt });
    }

    /// <summary>The statutory deadline while the clock runs; null while it is paused or when there is none.</summary>
    public static DateTimeOffset? RunningDueAt(InstanceSession session) =>
        session.Instance.ClockPausedAt is null ? session.Instance.StatutoryDueAt : null;

    /// <summary>Whether a waiting token stops the clock: its node does (补正), or it is a step sent back that does.</summary>
    public static bool PausesClock(InstanceSession session, TokenRecord token) =>
        PausesClock(session.Definition[token.NodeId]) || TaskAssignment.Of(token)?.PausesClock == true;

    public static bool PausesClock(WorkflowNode node) =>
        node is UserTaskNode { PausesClock: true } or WaitEventNode { PausesClock: true };
}
