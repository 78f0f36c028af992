using Songjiang.Enterprises.Api.Clients;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// Holds the recommendation rules against the catalog once it answers: every target must exist, and a rule that
/// recommends a matter to an enterprise lacking a licence must name the licence type that matter's approval yields
/// (as the catalog declares it). A dangling reference is logged as critical and turns readiness unhealthy, so a rule
/// that would tell a licence holder to apply again is seen at once, not by the enterprise.
/// </summary>
public sealed partial class RecommendationRulesCheck(
    Recommendations recommendations, IServiceScopeFactory scopes, TimeProvider clock, ILogger<RecommendationRulesCheck> logger)
    : BackgroundService, IHealthCheck
{
    private volatile IReadOnlyList<string>? _problems;

    /// <summary>The problems found, null until the catalog has answered.</summary>
    public IReadOnlyList<string>? Problems => _problems;

    /// <summary>Every dangling reference of the rules, given a lookup of catalog entries.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(
        IEnumerable<RecommendationRule> rules, Func<string, string, Task<CatalogEntry?>> find)
    {
        var problems = new List<string>();
        foreach (var rule in rules)
        {
            var target = await find(rule.Target.Kind, rule.Target.Code);
            if (target is null)
            {
                problems.Add($"规则 {rule.Id}：目录中没有{(rule.Target.Kind == "bundle" ? "一件事" : "事项")} {rule.Target.Code}。");
                continue;
            }
            if (rule.When.LacksQualification is { } lacks && lacks.StartsWith(LifecycleMatters.LicenceQualificationPrefix, StringComparison.Ordinal)
                && rule.Target.Kind == "matter")
            {
                var licenceType = lacks[LifecycleMatters.LicenceQualificationPrefix.Length..];
                var yields = target.Outcome?.Licence?.Type;
                if (yields != licenceType)
                {
                    problems.Add($"规则 {rule.Id}：以未持有证照“{licenceType}”为条件推荐 {rule.Target.Code}，但该事项办结颁发的是“{yields ?? "无证照"}”。");
                }
            }
        }
        return problems;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var catalog = scope.ServiceProvider.GetRequiredService<CatalogClient>();
                var problems = await ProblemsAsync(recommendations.Rules, (kind, code) => catalog.FindAsync(kind, code, stoppingToken));
                _problems = problems;
                foreach (var problem in problems)
                {
                    LogDangling(problem);
                }
                return;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The catalog not answering yet (refused, timed out by the resilience pipeline, circuit open) must not
                // stop this service: it checks again with back-off until the catalog answers.
                LogCatalogUnavailable(error, delay);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_problems is { Count: > 0 } problems
            ? HealthCheckResult.Unhealthy(string.Join(" ", problems))
            : HealthCheckResult.Healthy());

    [LoggerMessage(LogLevel.Warning, "The catalog did not answer the recommendation rules check; trying again in {Delay}")]
    private partial void LogCatalogUnavailable(Exception error, TimeSpan delay);

    [LoggerMessage(LogLevel.Critical, "Recommendation rule references something that does not exist: {Problem}")]
    private partial void LogDangling(string problem);
}
