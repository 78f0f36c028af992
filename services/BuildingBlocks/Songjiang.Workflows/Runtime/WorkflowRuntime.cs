using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// The runtime: commands on a fresh DbContext per attempt (retried on conflicts), commands joined to a host's
/// context through <see cref="Using"/>, definition publishing and the timer loop.
/// </summary>
internal sealed partial class WorkflowRuntime<TContext> : IWorkflowRuntime
    where TContext : DbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly DefinitionCache _definitions;
    private readonly UnitFactory _units;
    private readonly OwnTransactionRunner<TContext> _runner;
    private readonly TimeProvider _time;
    private readonly IOptions<WorkflowOptions> _options;
    private readonly ILogger _logger;
    private readonly WorkflowCommands _commands;

    public WorkflowRuntime(
        IServiceScopeFactory scopes, DefinitionCache definitions, UnitFactory units, OwnTransactionRunner<TContext> runner,
        TimeProvider time, IOptions<WorkflowOptions> options, ILogger<WorkflowRuntime<TContext>> logger)
    {
        _scopes = scopes;
        _definitions = definitions;
        _units = units;
        _runner = runner;
        _time = time;
        _options = options;
        _logger = logger;
        _commands = new WorkflowCommands(runner, definitions, logger);
    }

    public async Task<(string Name, int Version)> PublishDefinitionAsync(string json, CancellationToken cancellationToken = default)
    {
        var definition = WorkflowDefinitionCompiler.Compile(json);
        await using var scope = _scopes.CreateAsyncScope();
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

        db.Add(new DefinitionRecord { Name = definition.Name, Version = definition.Version, Json = json, PublishedAt = _time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return (definition.Name, definition.Version);
    }

    public IWorkflowCommands Using(DbContext hostContext) =>
        new WorkflowCommands(new HostTransactionRunner(hostContext, _scopes, _units), _definitions, _logger);

    public Task<WorkflowStarted> StartAsync(
        string definitionName, string correlationId, JsonObject? data, WorkflowActor actor, CancellationToken cancellationToken = default) =>
        _commands.StartAsync(definitionName, correlationId, data, actor, cancellationToken);

    public Task<WorkflowCommandResult> CompleteTaskAsync(CompleteTaskCommand command, CancellationToken cancellationToken = default) =>
        _commands.CompleteTaskAsync(command, cancellationToken);

    public Task<IReadOnlyList<WorkflowCommandResult>> RaiseEventAsync(
        string eventName, string correlationKey, JsonObject? payload, CancellationToken cancellationToken = default) =>
        _commands.RaiseEventAsync(eventName, correlationKey, payload, cancellationToken);

    public Task<WorkflowCommandResult> RetryIncidentsAsync(
        Guid instanceId, JsonObject? corrections, WorkflowActor actor, CancellationToken cancellationToken = default) =>
        _commands.RetryIncidentsAsync(instanceId, corrections, actor, cancellationToken);

    public Task<WorkflowCommandResult> SendBackAsync(SendBackCommand command, CancellationToken cancellationToken = default) =>
        _commands.SendBackAsync(command, cancellationToken);

    public Task<WorkflowCommandResult> TransferTaskAsync(TransferTaskCommand command, CancellationToken cancellationToken = default) =>
        _commands.TransferTaskAsync(command, cancellationToken);

    public Task<WorkflowCommandResult> AddSignerAsync(AddSignerCommand command, CancellationToken cancellationToken = default) =>
        _commands.AddSignerAsync(command, cancellationToken);

    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var settings = _options.Value;
        var claimed = await _runner.ReadAsync(
            db => TimerClaims.ClaimAsync(db, _time.GetUtcNow(), settings.TimerLease, settings.TimerBatchSize, cancellationToken), cancellationToken);

        // Timers of one instance serialise on its row lock; timers of different instances fire side by side.
        var fired = 0;
        await Parallel.ForEachAsync(
            claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.TimerConcurrency, CancellationToken = cancellationToken },
            async (timer, ct) =>
            {
                var applied = await _runner.ExecuteAsync(async (unit, resume) =>
                    await unit.OpenForTimerAsync(timer.InstanceId, timer.Id, ct) is var (session, stored)
                    && await resume.FireTimerAsync(session, stored), ct);
                if (applied) Interlocked.Increment(ref fired);
            });

        return fired;
    }
}
