namespace Songjiang.Workflows;

/// <summary>
/// The vocabulary of the journal (<see cref="WorkflowJournalEntry.Action"/>): what the runtime writes, so hosts
/// read entries by these names instead of spelling the strings themselves.
/// </summary>
public static class JournalActions
{
    /// <summary>The instance started; the delta is its data.</summary>
    public const string Started = "started";

    /// <summary>A token left the start node.</summary>
    public const string Start = "start";

    /// <summary>A fork split the token.</summary>
    public const string Fork = "fork";

    /// <summary>A decision chose a branch (delta <c>to</c>).</summary>
    public const string Decision = "decision";

    /// <summary>A join let tokens through.</summary>
    public const string Join = "join";

    /// <summary>An end node was reached (delta <c>outcome</c>).</summary>
    public const string End = "end";

    /// <summary>The instance was cancelled with its parent's task.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A user task opened.</summary>
    public const string TaskOpened = "task.opened";

    /// <summary>A boundary timer reminded the holder of a task.</summary>
    public const string TaskRemind = "task.remind";

    /// <summary>A boundary timer escalated a task (督办).</summary>
    public const string TaskEscalate = "task.escalate";

    /// <summary>The prefix of a completed task's entry: <c>task.</c> followed by the action taken.</summary>
    public const string TaskCompletedPrefix = "task.";

    /// <summary>An event was awaited.</summary>
    public const string EventAwaited = "event.awaited";

    /// <summary>An awaited event arrived.</summary>
    public const string EventReceived = "event.received";

    /// <summary>A service task published an event.</summary>
    public const string EventPublished = "event.published";

    /// <summary>A timer was scheduled.</summary>
    public const string TimerScheduled = "timer.scheduled";

    /// <summary>A timer fired.</summary>
    public const string TimerFired = "timer.fired";

    /// <summary>The statutory clock paused (delta <c>remainingWorkingDays</c>).</summary>
    public const string ClockPaused = "clock.paused";

    /// <summary>The statutory clock resumed (delta <c>statutoryDueAt</c>).</summary>
    public const string ClockResumed = "clock.resumed";

    /// <summary>An administrator corrected the data.</summary>
    public const string DataCorrected = "data.corrected";

    /// <summary>A step failed and became an incident.</summary>
    public const string Incident = "incident";

    /// <summary>An incident was retried.</summary>
    public const string IncidentRetried = "incident.retried";

    /// <summary>A step failed and took its error path.</summary>
    public const string Error = "error";

    /// <summary>Child instances started.</summary>
    public const string ChildrenStarted = "children.started";

    /// <summary>A child instance ended.</summary>
    public const string ChildEnded = "child.ended";

    /// <summary>A child's end arrived after its parent moved on.</summary>
    public const string ChildIgnored = "child.ignored";

    /// <summary>Child instances were cancelled.</summary>
    public const string ChildrenCancelled = "children.cancelled";

    /// <summary>A 会签 step opened one task per signer (delta <c>signers</c>, <c>required</c>).</summary>
    public const string CountersignStarted = "countersign.started";

    /// <summary>One signer of a 会签 step signed (delta: action, opinion, actor, department).</summary>
    public const string Countersigned = "countersigned";

    /// <summary>A 会签 step reached its outcome (delta <c>action</c>, <c>agreed</c>, <c>required</c>).</summary>
    public const string CountersignDecided = "countersign.decided";

    /// <summary>A task was sent back (退回) to an earlier step (delta <c>to</c>, <c>reason</c>).</summary>
    public const string SentBack = "sent-back";

    /// <summary>A holder added a signer before or after themself (加签; delta <c>mode</c>, <c>assignee</c>).</summary>
    public const string SignerAdded = "signer.added";

    /// <summary>A signer added before the holder signed and handed the task back (delta: opinion).</summary>
    public const string SignerSigned = "signer.signed";

    /// <summary>A task was handed to another department's queue (转办; delta <c>from</c>, <c>to</c>, <c>reason</c>).</summary>
    public const string Transferred = "transferred";

    /// <summary>The instance moved to another version of its definition (delta <c>fromVersion</c>, <c>toVersion</c>, <c>moves</c>).</summary>
    public const string Migrated = "migrated";

    /// <summary>The entry of a task completed with <paramref name="action"/>.</summary>
    public static string TaskCompleted(string action) => TaskCompletedPrefix + action;

    /// <summary>
    /// Whether the entry records a person's (or a boundary timer's interrupting) completion of a task, and with which
    /// action; the opening of a task and reminders or escalations are not completions.
    /// </summary>
    public static bool IsTaskCompleted(string entryAction, out string action)
    {
        if (entryAction.StartsWith(TaskCompletedPrefix, StringComparison.Ordinal)
            && entryAction is not (TaskOpened or TaskRemind or TaskEscalate))
        {
            action = entryAction[TaskCompletedPrefix.Length..];
            return true;
        }
        action = "";
        return false;
    }
}
