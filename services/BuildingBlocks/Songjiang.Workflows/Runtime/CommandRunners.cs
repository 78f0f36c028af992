using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Songjiang.Workflows.Calendar;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>Runs a command's unit of work in a transaction: its own, or one the host already opened.</summary>
internal interface ICommandRunner
{
    Task<T> ExecuteAsync<T>(Func<WorkflowUnitOfWork, Resumptions, Task<T>> work, CancellationToken ct);

    /// <summary>A read outside any instance lock (e.g. finding the bookmarks an event resumes).</summary>
    Task<T> ReadAsync<T>(Func<DbContext, Task<T>> read, CancellationToken ct);
}

/// <summary>Builds units of work with the runtime's clock, definitions and calendar and a scope's services.</summary>
internal sealed partial class UnitFactory(
    DefinitionCache definitions, WorkingDayCalendar calendar, TimeProvider time, ILogger<UnitFactory> logger)
{
    public WorkflowUnitOfWork Create(DbContext db, IServiceProvider services) => new(
        db, time.GetUtcNow(), definitions, calendar,
        () => services.GetService<IWorkflowEventPublisher>()
            ?? throw new InvalidOperationException("Register an IWorkflowEventPublisher bound to the host's outbox."),
        services.GetServices<IWorkflowStepObserver>(), [.. services.GetServices<IWorkflowListener>()]);

    public void Committed(WorkflowUnitOfWork unit)
    {
        foreach (var incident in unit.Incidents) LogIncident(logger, incident);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow incident, waiting for an administrator to correct the data and retry: {Incident}")]
    private static partial void LogIncident(ILogger logger, string incident);
}

/// <summary>Each attempt gets a fresh scope and DbContext and owns its transaction; conflicts redo the command.</summary>
internal sealed partial class OwnTransactionRunner<TContext>(
    IServiceScopeFactory scopes, UnitFactory units, IOptions<WorkflowOptions> options, ILogger<OwnTransactionRunner<TContext>> logger)
    : ICommandRunner where TContext : DbContext
{
    public async Task<T> ExecuteAsync<T>(Func<WorkflowUnitOfWork, Resumptions, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            // The command owns its transaction, so EF's savepoint around SaveChanges only adds two round trips.
            db.Database.AutoSavepointsEnabled = false;
            var unit = units.Create(db, scope.ServiceProvider);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await work(unit, new Resumptions(unit, ct));
                await unit.SaveAsync(ct);
                await transaction.CommitAsync(ct);
                units.Committed(unit);
                return result;
            }
            catch (Exception e) when (attempt < options.Value.MaxAttempts && IsConflict(e))
            {
                LogRetry(logger, attempt, e.Message);
            }
        }
    }

    public async Task<T> ReadAsync<T>(Func<DbContext, Task<T>> read, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    // Lost-update guard (version column), PostgreSQL serialization failure and deadlock: redo on fresh state.
    private static bool IsConflict(Exception e) =>
        e is DbUpdateConcurrencyException
        || (e as DbException ?? e.InnerException as DbException)?.SqlState is "40001" or "40P01";

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow command conflicted (attempt {Attempt}), retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}

/// <summary>
/// Runs on the host's DbContext. Inside the host's transaction the unit only writes; the host commits or rolls
/// back. Without one, the unit begins and commits its own on that context. Never retried: the host's tracked
/// changes belong to the host, which decides whether to redo its unit of work.
/// </summary>
internal sealed class HostTransactionRunner(DbContext db, IServiceScopeFactory scopes, UnitFactory units) : ICommandRunner
{
    public async Task<T> ExecuteAsync<T>(Func<WorkflowUnitOfWork, Resumptions, Task<T>> work, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var unit = units.Create(db, scope.ServiceProvider);
        if (db.Database.CurrentTransaction is not null)
        {
            var joined = await work(unit, new Resumptions(unit, ct));
            await unit.SaveAsync(ct);
            return joined;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await work(unit, new Resumptions(unit, ct));
        await unit.SaveAsync(ct);
        await transaction.CommitAsync(ct);
        units.Committed(unit);
        return result;
    }

    public Task<T> ReadAsync<T>(Func<DbContext, Task<T>> read, CancellationToken ct) => read(db);
}
