using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>The commands of <see cref="IWorkflowCommands"/>, run by whichever transaction strategy the caller chose.</summary>
internal sealed partial class WorkflowCommands(ICommandRunner runner, DefinitionCache definitions, ILogger logger) : IWorkflowCommands
{
    public Task<WorkflowStarted> StartAsync(
        string definitionName, string correlationId, JsonObject? data, WorkflowActor actor, CancellationToken cancellationToken = default) =>
        runner.ExecuteAsync(async (unit, resume) =>
        {
            var definition = await definitions.GetLatestAsync(unit.Db, definitionName, cancellationToken);
            var session = unit.Create(definition, correlationId, data?.DeepClone().AsObject() ?? [], null, null);
            session.Journal(actor, JournalActions.Started, null, delta: session.Data.DeepClone());
            await resume.Executor.RunAsync(session, session.Spawn("", definition.Start));
            return new WorkflowStarted(session.Instance.Id, definition.Version, session.OpenTaskIds());
        }, cancellationToken);

    public Task<WorkflowCommandResult> CompleteTaskAsync(CompleteTaskCommand command, CancellationToken cancellationToken = default) =>
        runner.ExecuteAsync(async (unit, resume) =>
        {
            var session = await unit.OpenByTaskAsync(command.TaskId, cancellationToken);
            var result = session is null
                ? WorkflowCommandResult.Ignored(null, $"task {command.TaskId} does not exist")
                : await resume.CompleteTaskAsync(session, command);
            if (!result.Applied) LogIgnored(logger, "task " + command.TaskId, result.IgnoredReason!);
            return result;
        }, cancellationToken);

    public async Task<IReadOnlyList<WorkflowCommandResult>> RaiseEventAsync(
        string eventName, string correlationKey, JsonObject? payload, CancellationToken cancellationToken = default)
    {
        var bookmarks = await runner.ReadAsync(db => db.Set<BookmarkRecord>().AsNoTracking()
            .Where(b => b.EventName == eventName && b.CorrelationKey == correlationKey).ToListAsync(cancellationToken), cancellationToken);
        if (bookmarks.Count == 0) LogIgnored(logger, $"event {eventName}/{correlationKey}", "nothing waits for it");

        var results = new List<WorkflowCommandResult>();
        foreach (var bookmark in bookmarks)
        {
            results.Add(await runner.ExecuteAsync(async (unit, resume) =>
                await unit.OpenAsync(bookmark.InstanceId, cancellationToken) is { } session
                    ? await resume.DeliverEventAsync(session, bookmark.TokenId, eventName, payload)
                    : WorkflowCommandResult.Ignored(bookmark.InstanceId, "instance no longer exists"), cancellationToken));
        }

        return results;
    }

    public Task<WorkflowCommandResult> RetryIncidentsAsync(
        Guid instanceId, JsonObject? corrections, WorkflowActor actor, CancellationToken cancellationToken = default) =>
        runner.ExecuteAsync(async (unit, resume) =>
        {
            var session = await unit.OpenAsync(instanceId, cancellationToken)
                ?? throw new WorkflowNotFoundException($"Workflow instance {instanceId} does not exist.");
            var result = await resume.RetryIncidentsAsync(session, corrections, actor);
            if (!result.Applied) LogIgnored(logger, "retry of instance " + instanceId, result.IgnoredReason!);
            return result;
        }, cancellationToken);

    public Task<WorkflowCommandResult> SendBackAsync(SendBackCommand command, CancellationToken cancellationToken = default) =>
        OnTaskAsync(command.TaskId, (resume, session) => resume.SendBackAsync(session, command), cancellationToken);

    public Task<WorkflowCommandResult> TransferTaskAsync(TransferTaskCommand command, CancellationToken cancellationToken = default) =>
        OnTaskAsync(command.TaskId, (resume, session) => resume.TransferAsync(session, command), cancellationToken);

    public Task<WorkflowCommandResult> AddSignerAsync(AddSignerCommand command, CancellationToken cancellationToken = default) =>
        OnTaskAsync(command.TaskId, (resume, session) => resume.AddSignerAsync(session, command), cancellationToken);

    /// <summary>Moves (or plans moving) one instance, in its own transaction; null when it ended meanwhile.</summary>
    public Task<WorkflowMigrationResult?> MigrateAsync(
        Guid instanceId, Definitions.WorkflowDefinition target, WorkflowMigration migration, WorkflowActor actor, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(async (unit, resume) =>
            await unit.OpenAsync(instanceId, cancellationToken) is { Ended: false } session && session.Instance.DefinitionVersion < target.Version
                ? await resume.MigrateAsync(session, target, migration.NodeMapping, migration.DryRun, actor)
                : null, cancellationToken);

    private Task<WorkflowCommandResult> OnTaskAsync(
        Guid taskId, Func<Resumptions, InstanceSession, Task<WorkflowCommandResult>> act, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(async (unit, resume) =>
        {
            var session = await unit.OpenByTaskAsync(taskId, cancellationToken);
            var result = session is null
                ? WorkflowCommandResult.Ignored(null, $"task {taskId} does not exist")
                : await act(resume, session);
            if (!result.Applied) LogIgnored(logger, "task " + taskId, result.IgnoredReason!);
            return result;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored duplicate or stale {Subject}: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string subject, string reason);
}
