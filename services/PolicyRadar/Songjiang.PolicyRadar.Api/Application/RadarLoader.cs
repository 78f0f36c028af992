using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>
/// Fills the matching engine and the search index from the database at start (the index is rebuilt every time), then
/// keeps them current with what other replicas write: every <see cref="PolicyRadarOptions.RefreshInterval"/> it
/// reads policies published and profiles changed since the last look (with a few seconds' overlap, as commits and
/// clocks do not line up exactly; re-applying is harmless).
/// </summary>
public sealed partial class RadarLoader(
    IServiceScopeFactory scopes,
    MatchingEngine engine,
    PolicySearchIndex index,
    IOptions<PolicyRadarOptions> options,
    TimeProvider clock,
    ILogger<RadarLoader> logger) : BackgroundService
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = await LoadAllAsync(stoppingToken);
        engine.MarkReady();
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                since = await RefreshAsync(since, stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(error);
            }
        }
    }

    private async Task<DateTimeOffset> LoadAllAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyRadarDbContext>();
        var enterprises = 0;
        await foreach (var profile in db.Enterprises.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            engine.UpsertEnterprise(profile.ToFacts(), profile.Name);
            enterprises++;
        }
        var published = await db.PolicyVersions.AsNoTracking().Where(v => v.Status == PolicyStatus.Published).ToListAsync(cancellationToken);
        foreach (var version in published)
        {
            engine.UpsertPolicy(MatchablePolicy.Of(version));
        }
        index.Upsert(published.Select(PolicyDocument.Of));
        LogLoaded(enterprises, published.Count, (clock.GetUtcNow() - started).TotalMilliseconds);
        return started;
    }

    private async Task<DateTimeOffset> RefreshAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var from = since - Overlap;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyRadarDbContext>();
        var published = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.Status == PolicyStatus.Published && v.PublishedAt > from).ToListAsync(cancellationToken);
        foreach (var version in published.Where(v => engine.FindPolicy(v.PolicyId)?.Version != v.Version))
        {
            engine.UpsertPolicy(MatchablePolicy.Of(version));
            index.Upsert(PolicyDocument.Of(version));
        }
        var profiles = await db.Enterprises.AsNoTracking().Where(e => e.SyncedAt > from).ToListAsync(cancellationToken);
        foreach (var profile in profiles)
        {
            engine.UpsertEnterprise(profile.ToFacts(), profile.Name);
        }
        return now;
    }

    [LoggerMessage(LogLevel.Information, "Policy radar loaded {Enterprises} enterprise profiles and {Policies} published policies in {Milliseconds:F0} ms")]
    private partial void LogLoaded(int enterprises, int policies, double milliseconds);

    [LoggerMessage(LogLevel.Warning, "Refreshing the policy radar from the database failed; trying again")]
    private partial void LogRefreshFailed(Exception error);
}
