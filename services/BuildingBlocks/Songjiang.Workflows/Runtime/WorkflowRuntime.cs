using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Songjiang.Workflows.Calendar;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>Commands of the runtime; each is one transaction on a fresh DbContext, retried on conflicts.</summary>
internal sealed partial class WorkflowRuntime<TContext>(
    IServiceScopeFactory scopes, DefinitionCache definitions, WorkingDayCalendar calendar, TimeProvider time,
    IOptions<WorkflowOptions> options, ILogger<WorkflowRuntime<TContext>> logger) : IWorkflowRuntime
    where TContext : DbContext
{
    public async Task<(string Name, int Version)> PublishDefinitionAsync(string json, CancellationToken cancellationToken = default)
    {
        var definition = WorkflowDefinitionCompiler.Compile(json);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var existing = await db.Set<DefinitionRecord>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.Name == definition.Name && d.Version == definition.Version, cancellationToken);
        if (existing is not null)
        {
            // A published version is immutable: running instances are pinned to it.
            if (existing.Json != json)
                throw new WorkflowDefinitionException([$"definition: '{definition.Name}' version {definition.Version} is already published with different content"]);
            return (definition.Name, definition.Version);
        }

        db.Add(new DefinitionRecord { Name = definition.Name, Version = definition.Version, Json = json, PublishedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return (definition.Name, definition.Version);
    }

    public Task<WorkflowStarted> StartAsync(
        string definitionName, string correlationId, JsonObject? data, WorkflowActor actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(async (unit, resume) =>
        {
            var definition = await definitions.GetLatestAsync(unit.Db, definitionName, cancellationToken);
            var session = unit.Create(definition, correlationId, data?.DeepClone().AsObject() ?? [], null, null);
            session.Journal(actor, "started", null, delta: session.Data.DeepClone());
            await resume.Executor.RunAsync(session, session.Spawn("", definition.Start));
            return new WorkflowStarted(session.Instance.Id, definition.Version, session.OpenTaskIds());
        }, cancellationToken);

    public Task<WorkflowCommandResult> CompleteTaskAsync(CompleteTaskCommand command, CancellationToken cancellationToken = default) =>
        ExecuteAsync(async (unit, resume) =>
        {
            var instanceId = await unit.Db.Set<TokenRecord>().Where(t => t.Id == command.TaskId)
                .Select(t => (Guid?)t.InstanceId).FirstOrDefaultAsync(cancellationToken);
            var session = instanceId is { } id ? await unit.OpenAsync(id, cancellationToken) : null;
            var result = session is null
                ? WorkflowCommandResult.Ignored(null, $"task {command.TaskId} does not exist")
                : await resume.CompleteTaskAsync(session, command);
            if (!result.Applied) LogIgnored(logger, "task " + command.TaskId, result.IgnoredReason!);
            return result;
        }, cancellationToken);

    public async Task<IReadOnlyList<WorkflowCommandResult>> RaiseEventAsync(
        string eventName, string correlationKey, JsonObject? payload, CancellationToken cancellationToken = default)
    {
        List<BookmarkRecord> bookmarks;
        await using (var scope = scopes.CreateAsyncScope())
        {
            bookmarks = await scope.ServiceProvider.GetRequiredService<TContext>().Set<BookmarkRecord>().AsNoTracking()
                .Where(b => b.EventName == eventName && b.CorrelationKey == correlationKey).ToListAsync(cancellationToken);
        }

        if (bookmarks.Count == 0) LogIgnored(logger, $"event {eventName}/{correlationKey}", "nothing waits for it");
        var results = new List<WorkflowCommandResult>();
        foreach (var bookmark in bookmarks)
        {
            results.Add(await ExecuteAsync(async (unit, resume) =>
                await unit.OpenAsync(bookmark.InstanceId, cancellationToken) is { } session
                    ? await resume.DeliverEventAsync(session, bookmark.TokenId, eventName, payload)
                    : WorkflowCommandResult.Ignored(bookmark.InstanceId, "instance no longer exists"), cancellationToken));
        }

        return results;
    }

    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        List<ClaimedTimer> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await TimerClaims.ClaimAsync(
                scope.ServiceProvider.GetRequiredService<TContext>(), time.GetUtcNow(), settings.TimerLease, settings.TimerBatchSize, cancellationToken);
        }

        // Timers of one instance serialise on its row lock; timers of different instances fire side by side.
        var fired = 0;
        await Parallel.ForEachAsync(
            claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.TimerConcurrency, CancellationToken = cancellationToken },
            async (timer, ct) =>
            {
                var applied = await ExecuteAsync(async (unit, resume) =>
                    await unit.OpenAsync(timer.InstanceId, ct) is { } session
                    && await resume.FireTimerAsync(session, timer.Id), ct);
                if (applied) Interlocked.Increment(ref fired);
            });

        return fired;
    }

    private async Task<T> ExecuteAsync<T>(Func<WorkflowUnitOfWork, Resumptions, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<TContext>();
            // The command owns its transaction, so EF's savepoint around SaveChanges only adds two round trips.
            db.Database.AutoSavepointsEnabled = false;
            var unit = new WorkflowUnitOfWork(
                db, time.GetUtcNow(), definitions, calendar,
                () => services.GetService<IWorkflowEventPublisher>()
                    ?? throw new InvalidOperationException("Register an IWorkflowEventPublisher bound to the host's outbox."),
                services.GetServices<IWorkflowStepObserver>());
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await work(unit, new Resumptions(unit, ct));
                await unit.SaveAsync(ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < options.Value.MaxAttempts && IsConflict(e))
            {
                LogRetry(logger, attempt, e.Message);
            }
        }
    }

    // Lost-update guard (version column), PostgreSQL serialization failure and deadlock: redo on fresh state.
    private static bool IsConflict(Exception e) =>
        e is DbUpdateConcurrencyException
        || (e as DbException ?? e.InnerException as DbException)?.SqlState is "40001" or "40P01";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored duplicate or stale {Subject}: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow command conflicted (attempt {Attempt}), retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}
