using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// How every change to a profile is recorded: a new version, a timeline entry naming actor and change, and — when
/// the change matters to other services — the profile-changed event, all in the caller's unit of work.
/// </summary>
public sealed class ProfileJournal(EnterprisesDbContext db, IOutbox<EnterprisesDbContext> outbox, TimeProvider clock)
{
    /// <summary>Records a change; pass <paramref name="publishedFields"/> to publish it.</summary>
    public void Record(
        Enterprise enterprise, string actor, string action, string summary,
        IEnumerable<string>? publishedFields = null, string? changes = null, string? actorName = null)
    {
        var now = clock.GetUtcNow();
        enterprise.UpdatedAt = now;
        enterprise.Version = Guid.NewGuid();
        db.Timeline.Add(new TimelineEntry
        {
            Uscc = enterprise.Uscc, At = now, Actor = actor, ActorName = actorName ?? NameOf(actor), Action = action, Summary = summary, Changes = changes,
        });
        if (publishedFields is not null)
        {
            outbox.Add(EnterpriseProfileChangedIntegrationEvent.For(enterprise, action, publishedFields));
        }
    }

    /// <summary>A name for an actor that is not a person: the application that caused the change, or the platform.</summary>
    private static string NameOf(string actor) =>
        actor.StartsWith("application:", StringComparison.Ordinal) ? $"办件 {actor["application:".Length..]}" : "一网通办平台";

    /// <summary>Profile fields as people read them.</summary>
    public static string FieldNames(IEnumerable<string> fields) => string.Join("、", fields.Select(f => f switch
    {
        "name" => "企业名称", "legalRepresentative" => "法定代表人", "registeredAddress" => "注册地址", "location" => "所在街镇",
        "industryCode" => "行业", "registeredCapital" => "注册资本", "foundedOn" => "成立日期", "employees" => "从业人数",
        "annualRevenue" => "年营业收入", "rdSpending" => "研发投入", "isListed" => "是否上市", "contactPhone" => "联系电话",
        "contactEmail" => "联系邮箱", "stage" => "经营状态", "qualifications" => "资质", "creditRating" => "信用等级",
        _ => f,
    }));
}
