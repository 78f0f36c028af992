using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Clients;
using Songjiang.Licenses.Api.Domain;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>
/// The initial fill of the holders' read model from the register's feed, page by page: each page and the cursor
/// commit together, so a restart resumes; a profile is applied only when newer than the one held, so events that
/// arrive meanwhile win. Retries with back-off while the register is unreachable; stops once the feed is read.
/// </summary>
public sealed partial class HolderProfileSync(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<HolderProfileSync> logger)
    : BackgroundService
{
    private const int PageSize = 200;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Licenses:SyncHolderProfiles", true))
        {
            return;
        }
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SyncPageAsync(stoppingToken))
                {
                    return;
                }
                delay = TimeSpan.FromSeconds(1);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPageFailed(error, delay.TotalSeconds);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Reads one page; true once the feed is read.</summary>
    public async Task<bool> SyncPageAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
        var state = await db.RegisterSync.SingleOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            state = new RegisterSyncState();
            db.RegisterSync.Add(state);
        }
        if (state.Completed)
        {
            return true;
        }
        var page = await scope.ServiceProvider.GetRequiredService<EnterpriseRegisterFeed>().ReadAsync(state.Cursor, PageSize, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var profiles = scope.ServiceProvider.GetRequiredService<HolderProfiles>();
        foreach (var item in page.Items)
        {
            await profiles.ApplyAsync(item.Uscc, item.Profile.Name, item.Profile.LegalRepresentative, item.Profile.RegisteredAddress, null, item.UpdatedAt, cancellationToken);
        }
        state.Cursor = page.Next ?? state.Cursor;
        state.Completed = page.Next is null;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (state.Completed)
        {
            LogCompleted();
        }
        return state.Completed;
    }

    [LoggerMessage(LogLevel.Warning, "Reading the enterprise register's feed failed; retrying in {Seconds} s")]
    private partial void LogPageFailed(Exception error, double seconds);

    [LoggerMessage(LogLevel.Information, "Holders' registered details read from the enterprise register")]
    private partial void LogCompleted();
}
