using Songjiang.ServiceDefaults.Time;
using Songjiang.Enterprises.Api.Domain;
using System.Text.Json;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// Service recommendations (服务超市): the matters and bundles an enterprise is likely to need next, from rules kept
/// as data, each with the reason and the facts of the profile that made it apply.
/// </summary>
public sealed class Recommendations
{
    private const string ResourceName = "Songjiang.Enterprises.Api.Seed.recommendation-rules.json";

    private readonly IReadOnlyList<RecommendationRule> _rules;

    /// <summary>Loads the rules shipped with the service.</summary>
    public Recommendations()
    {
        using var stream = typeof(Recommendations).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Missing embedded rules {ResourceName}.");
        _rules = JsonSerializer.Deserialize<List<RecommendationRule>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        }) ?? [];
    }

    /// <summary>Every rule, as shipped.</summary>
    public IReadOnlyList<RecommendationRule> Rules => _rules;

    /// <summary>The rules that apply to the enterprise today, with the facts behind each.</summary>
    public IEnumerable<(RecommendationRule Rule, IReadOnlyList<string> Because)> For(Enterprise enterprise, DateOnly today)
    {
        foreach (var rule in _rules)
        {
            if (Evaluate(rule.When, enterprise, today) is { } because)
            {
                yield return (rule, because);
            }
        }
    }

    // Every stated condition must hold; each one that does is named, so the enterprise sees why.
    private static List<string>? Evaluate(RuleConditions when, Enterprise e, DateOnly today)
    {
        var because = new List<string>();
        var age = today.DayNumber - e.FoundedOn.DayNumber;
        bool Check(bool applies, bool holds, string fact)
        {
            if (applies && holds)
            {
                because.Add(fact);
            }
            return !applies || holds;
        }

        var holds =
            Check(when.Stages is { Count: > 0 }, when.Stages?.Contains(e.Stage) == true, $"经营状态：{StageName(e.Stage)}")
            && Check(when.IndustryPrefixes is { Count: > 0 }, when.IndustryPrefixes?.Any(p => e.IndustryCode.StartsWith(p, StringComparison.Ordinal)) == true,
                $"行业代码 {e.IndustryCode}")
            && Check(when.FoundedWithinDays is not null, age <= when.FoundedWithinDays, $"成立于{ChinaTime.Day(e.FoundedOn)}")
            && Check(when.MinYearsSinceFounding is not null, age >= (when.MinYearsSinceFounding ?? 0) * 365, $"成立于{ChinaTime.Day(e.FoundedOn)}")
            && Check(when.MinEmployees is not null, e.Employees >= when.MinEmployees, $"从业人数 {e.Employees} 人")
            && Check(when.MaxEmployees is not null, e.Employees <= when.MaxEmployees, $"从业人数 {e.Employees} 人")
            && Check(when.MinRevenue is not null, e.AnnualRevenue >= when.MinRevenue, $"年营业收入 {e.AnnualRevenue} 万元")
            && Check(when.MaxRevenue is not null, e.AnnualRevenue <= when.MaxRevenue, $"年营业收入 {e.AnnualRevenue} 万元")
            && Check(when.MinRdRatio is not null, e.RdRatio >= when.MinRdRatio, $"研发投入占营业收入 {e.RdRatio:P1}")
            && Check(when.LacksQualification is not null,
                !e.Qualifications.Any(q => q.Kind == when.LacksQualification && q.IsValidOn(today)), Lacking(when.LacksQualification));
        return holds ? [.. because.Distinct()] : null;
    }

    private static string StageName(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Establishing => "设立中",
        LifecycleStage.Operating => "正常经营",
        LifecycleStage.Changing => "变更中",
        LifecycleStage.Deregistering => "注销中",
        LifecycleStage.Deregistered => "已注销",
        _ => stage.ToString(),
    };

    private static string Lacking(string? kind) =>
        kind is not null && kind.StartsWith(LifecycleMatters.LicenceQualificationPrefix, StringComparison.Ordinal)
            ? "尚未持有有效的相应许可证照"
            : $"尚未取得有效的{EnterpriseValidation.QualificationName(kind ?? "")}资质";
}

/// <summary>A rule: when its conditions hold, recommend its target for its reason.</summary>
public sealed record RecommendationRule(string Id, RecommendationTarget Target, RuleConditions When, string Reason);

/// <summary>What is recommended: a matter or a bundle of the catalog.</summary>
public sealed record RecommendationTarget(string Kind, string Code);

/// <summary>Conditions over the profile; those left out do not constrain.</summary>
public sealed record RuleConditions(
    List<LifecycleStage>? Stages = null,
    List<string>? IndustryPrefixes = null,
    int? FoundedWithinDays = null,
    int? MinYearsSinceFounding = null,
    int? MinEmployees = null,
    int? MaxEmployees = null,
    decimal? MinRevenue = null,
    decimal? MaxRevenue = null,
    decimal? MinRdRatio = null,
    string? LacksQualification = null);
