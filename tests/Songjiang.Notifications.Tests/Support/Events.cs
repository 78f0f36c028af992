using System.Text.Json;
using CaseContracts = Songjiang.Cases.Api.IntegrationEvents.Events;
using LicenceContracts = Songjiang.Licenses.Api.IntegrationEvents.Events;
using RadarContracts = Songjiang.PolicyRadar.Api.IntegrationEvents.Events;

namespace Songjiang.Notifications.Tests.Support;

/// <summary>
/// Events built with the publishers' own records (cases, licences, policy radar), so every test is also a contract
/// test: what the publisher writes is what the notification service's copies read.
/// </summary>
public static class Events
{
    /// <summary>上海松江智算科技有限公司 (ent-zhisuan).</summary>
    public const string Zhisuan = "91310117MA1J3GKL0Q";

    /// <summary>上海G60生物医药有限公司 (ent-g60bio).</summary>
    public const string G60Bio = "91310117MA1H8BXR2W";

    /// <summary>A fresh application number.</summary>
    public static string NewNumber() => "SJ" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) +
        Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>补正.</summary>
    public static CaseContracts.ApplicationCorrectionRequestedIntegrationEvent CorrectionRequested(Guid id, string number, string uscc = Zhisuan) => new(
        id, number, null, "SJ-SCJ-002", "企业变更登记", null, "market-regulation", uscc, "上海松江智算科技有限公司", "online",
        ["licence-copy", "resolution"], "股东会决议缺少全体股东签字", ["营业执照副本", "股东会决议"],
        new DateTimeOffset(2026, 12, 22, 0, 0, 0, TimeSpan.FromHours(8)), new DateOnly(2026, 12, 21));

    /// <summary>受理.</summary>
    public static CaseContracts.ApplicationAcceptedIntegrationEvent Accepted(Guid id, string number, string uscc = Zhisuan) => new(
        id, number, null, "SJ-SCJ-002", "企业变更登记", null, "market-regulation", uscc, "上海松江智算科技有限公司", "online",
        "scj-clerk", new DateTimeOffset(2026, 12, 18, 0, 0, 0, TimeSpan.FromHours(8)));

    /// <summary>Approved.</summary>
    public static CaseContracts.ApplicationApprovedIntegrationEvent Approved(Guid id, string number, string uscc = Zhisuan) => new(
        id, number, null, "SJ-SCJ-002", "企业变更登记", null, "market-regulation", uscc, "上海松江智算科技有限公司", "online",
        JsonSerializer.SerializeToElement(new { uscc }), null, uscc, "上海松江智算科技有限公司", "scj-approver", DateTimeOffset.UtcNow, false);

    /// <summary>Rejected.</summary>
    public static CaseContracts.ApplicationRejectedIntegrationEvent Rejected(Guid id, string number, string uscc = Zhisuan) => new(
        id, number, null, "SJ-SCJ-002", "企业变更登记", null, "market-regulation", uscc, "上海松江智算科技有限公司", "online",
        "拟变更的经营范围涉及前置审批，未提供许可文件", "scj-approver");

    /// <summary>办结.</summary>
    public static CaseContracts.ApplicationCompletedIntegrationEvent Completed(Guid id, string number, string uscc = Zhisuan) => new(
        id, number, null, "SJ-SCJ-002", "企业变更登记", null, "market-regulation", uscc, "上海松江智算科技有限公司", "online",
        "approved", DateTimeOffset.UtcNow, 3, true);

    /// <summary>A task in a department's queue.</summary>
    public static CaseContracts.TaskAssignedIntegrationEvent TaskQueued(Guid taskId, string number, string department, DateTimeOffset? dueAt = null) => new(
        taskId, Guid.NewGuid(), number, "企业变更登记", Zhisuan, "审查决定", department, null, null, dueAt);

    /// <summary>A task handed to a caseworker.</summary>
    public static CaseContracts.TaskAssignedIntegrationEvent TaskHandedTo(Guid taskId, string number, string department, string userId, DateTimeOffset? dueAt = null) => new(
        taskId, Guid.NewGuid(), number, "企业变更登记", Zhisuan, "审查决定", department, userId, "经办人", dueAt);

    /// <summary>The applicant's own correction task.</summary>
    public static CaseContracts.TaskAssignedIntegrationEvent ApplicantTask(Guid taskId, string number, DateTimeOffset? dueAt) => new(
        taskId, Guid.NewGuid(), number, "企业变更登记", Zhisuan, "补正材料", "applicant", null, null, dueAt);

    /// <summary>A closed task.</summary>
    public static CaseContracts.TaskClosedIntegrationEvent TaskClosed(Guid taskId, string number) => new(taskId, number, true, DateTimeOffset.UtcNow);

    /// <summary>督办.</summary>
    public static CaseContracts.TaskOverdueIntegrationEvent Overdue(Guid taskId, string number, string department, string? claimedBy) => new(
        taskId, number, "SJ-SCJ-002", "review", "审查决定", department, claimedBy, DateTimeOffset.UtcNow.AddHours(-1), "escalate");

    /// <summary>证照签发.</summary>
    public static LicenceContracts.LicenceIssuedIntegrationEvent LicenceIssued(string number, string uscc = Zhisuan) => new(
        number, "business-licence", uscc, new DateOnly(2026, 12, 7), null, "上海松江智算科技有限公司", "310117-scj", "key-1", null);

    /// <summary>证照撤销.</summary>
    public static LicenceContracts.LicenceStatusChangedIntegrationEvent LicenceRevoked(string number, string uscc = Zhisuan) => new(
        number, "business-licence", uscc, "revoked", "以欺骗手段取得许可", "valid", 7);

    /// <summary>政策找人.</summary>
    public static RadarContracts.PolicyMatchedIntegrationEvent PolicyMatched(
        Guid policyId, string uscc = Zhisuan, IReadOnlyList<string>? tags = null, IReadOnlyList<string>? subscribed = null) => new(
        uscc, "上海松江智算科技有限公司", policyId, 1, "松江区研发费用补贴办法", "subsidy", 500_000m, DateTimeOffset.UtcNow,
        ["研发投入占比 6.2%，不低于 3%", "注册地在松江区"], new DateOnly(2026, 12, 1), new DateOnly(2027, 3, 31), tags ?? ["研发", "人工智能"], subscribed ?? []);

    /// <summary>免申即享.</summary>
    public static RadarContracts.BenefitOfferedIntegrationEvent BenefitOffered(Guid policyId, string uscc = Zhisuan) => new(
        Guid.NewGuid(), uscc, "上海松江智算科技有限公司", policyId, 1, "松江区科技小巨人奖励", "沪松科〔2026〕8号", "松江区科学技术委员会",
        "reward", 300_000m, ["已认定为上海市科技小巨人企业"], DateTimeOffset.UtcNow);

    /// <summary>Subscription matched.</summary>
    public static RadarContracts.SubscriptionMatchedIntegrationEvent SubscriptionMatched(Guid policyId, string uscc = Zhisuan) => new(
        uscc, Guid.NewGuid(), policyId, 1, "G60科创走廊人工智能专项", ["人工智能"], ["算力"], true, DateTimeOffset.UtcNow);
}
