using Songjiang.PolicyRadar.Api.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.Matching;

namespace Songjiang.PolicyRadar.Api.Sync;

/// <summary>
/// The initial sync of the read model: reads every profile from the enterprise service page by page. Each page —
/// profiles, their new matches and the cursor — commits in one transaction, so a restart resumes after the last
/// committed page, and a profile is applied only if it is newer than the one held, so events that arrive during the
/// sync are never overwritten by an older copy. Retries with back-off while the enterprise service is unreachable.
/// </summary>
public sealed partial class EnterpriseSync(
    IServiceScopeFactory scopes,
    MatchingEngine engine,
    IOptions<PolicyRadarOptions> options,
    TimeProvider clock,
    ILogger<EnterpriseSync> logger) : BackgroundService
{
    /// <summary>The source name in <c>sync_state</c>.</summary>
    public const string Source = "enterprises";

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Wakes the sync after an administrator started a new pass.</summary>
    public void Wake() => _wake.Release();

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SyncEnterprises)
        {
            return;
        }
        await engine.Ready.WaitAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SyncPageAsync(stoppingToken))
                {
                    await _wake.WaitAsync(stoppingToken);
                }
                delay = TimeSpan.FromSeconds(1);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPageFailed(error, delay.TotalSeconds);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>Syncs one page; true when the pass is complete.</summary>
    public async Task<bool> SyncPageAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PolicyRadarDbContext>();
        var state = await db.SyncStates.SingleOrDefaultAsync(s => s.Source == Source, cancellationToken);
        if (state is null)
        {
            state = new SyncState { Source = Source, StartedAt = clock.GetUtcNow() };
            db.SyncStates.Add(state);
        }
        if (state.Completed)
        {
            return true;
        }
        var page = await services.GetRequiredService<EnterprisesFeedClient>().ReadAsync(state.Cursor, options.Value.SyncPageSize, cancellationToken);
        var applied = await services.GetRequiredService<EnterpriseReadModel>().ApplyAsync(
            [.. page.Items.Select(i => new EnterpriseReadModel.Incoming(i.Uscc, i.Profile, i.UpdatedAt))], cancellationToken);
        state.Cursor = page.Next ?? state.Cursor;
        state.Read += page.Items.Count;
        state.Applied += applied;
        if (page.Next is null)
        {
            state.Completed = true;
            state.CompletedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        if (state.Completed)
        {
            LogCompleted(state.Read, state.Applied);
        }
        return state.Completed;
    }

    /// <summary>Starts a new pass (an administrator's re-sync); the running service picks it up at once.</summary>
    public static async Task RestartAsync(PolicyRadarDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var state = await db.SyncStates.SingleOrDefaultAsync(s => s.Source == Source, cancellationToken);
        if (state is null)
        {
            db.SyncStates.Add(new SyncState { Source = Source, StartedAt = clock.GetUtcNow() });
        }
        else
        {
            state.Cursor = null;
            state.Completed = false;
            state.CompletedAt = null;
            state.Read = state.Applied = 0;
            state.StartedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Enterprise profile sync failed; retrying in {Seconds} s")]
    private partial void LogPageFailed(Exception error, double seconds);

    [LoggerMessage(LogLevel.Information, "Enterprise profile sync complete: {Read} profiles read, {Applied} applied")]
    private partial void LogCompleted(int read, int applied);
}
