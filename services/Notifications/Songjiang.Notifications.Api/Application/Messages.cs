using Songjiang.ServiceDefaults.Time;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.IntegrationEvents.Events;
using System.Globalization;

namespace Songjiang.Notifications.Api.Application;

/// <summary>The messages, in plain Chinese: what happened, and what the reader does next.</summary>
public static class Messages
{
    /// <summary>The applicant's view of an application.</summary>
    public static string ApplicationLink(string number) => $"/api/cases/applications/{Uri.EscapeDataString(number)}";

    /// <summary>A caseworker's task.</summary>
    public static string TaskLink(Guid taskId) => $"/api/cases/tasks/{taskId}";

    /// <summary>A policy.</summary>
    public static string PolicyLink(Guid policyId) => $"/api/policyradar/policies/{policyId}";

    /// <summary>补正.</summary>
    public static NewMessage CorrectionRequested(ApplicationCorrectionRequestedIntegrationEvent e)
    {
        // Names where the event carries them (codes only in events published before they were added).
        var named = e.MaterialNames is { Count: > 0 } names ? names : e.Materials;
        var materials = named is { Count: > 0 } list ? "需补正的材料：" + string.Join("、", list) + "。" : "";
        var note = string.IsNullOrWhiteSpace(e.Note) ? "" : "补正说明：" + e.Note.Trim() + "。";
        // Events published before the deadline was declared carry no day; the reminder then has no day to name either.
        var byWhen = e.DueOn is { } day
            ? $"请于{ChinaTime.Day(day)}前在办件页面上传补正后的材料并重新提交；补正期间法定办理时限暂停计算，截止日前一个工作日我们会再提醒您。"
            : "请在办件页面上传补正后的材料并重新提交；补正期间法定办理时限暂停计算。";
        return new(NotificationCategory.CorrectionRequested, $"请补正材料：{Name(e.MatterName)}",
            $"您的办件{e.ApplicationNumber}（{Name(e.MatterName)}）需要补正材料。{materials}{note}{byWhen}",
            ApplicationLink(e.ApplicationNumber), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>受理.</summary>
    public static NewMessage Accepted(ApplicationAcceptedIntegrationEvent e)
    {
        var due = e.StatutoryDueAt is { } at ? $"承诺在{ChinaTime.DeadlineDay(at)}前办结。" : "";
        return new(NotificationCategory.ApplicationAccepted, $"已受理：{Name(e.MatterName)}",
            $"您的办件{e.ApplicationNumber}（{Name(e.MatterName)}）已受理，进入审查。{due}您无需操作，可随时在办件页面查看进度。",
            ApplicationLink(e.ApplicationNumber), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>Approved.</summary>
    public static NewMessage Approved(ApplicationApprovedIntegrationEvent e)
    {
        var commitment = e.CommitmentBased ? "本件按告知承诺办理，请按承诺事项如实经营，部门将进行事后核查。" : "";
        return new(NotificationCategory.ApplicationApproved, $"审批通过：{Name(e.MatterName)}",
            $"您的办件{e.ApplicationNumber}（{Name(e.MatterName)}）已审批通过。{commitment}相关电子证照签发后会另行通知，届时可在办件页面查看和下载结果。",
            ApplicationLink(e.ApplicationNumber), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>Rejected.</summary>
    public static NewMessage Rejected(ApplicationRejectedIntegrationEvent e)
    {
        var reason = string.IsNullOrWhiteSpace(e.Reason) ? "" : $"原因：{e.Reason.Trim()}。";
        return new(NotificationCategory.ApplicationRejected, $"未予通过：{Name(e.MatterName)}",
            $"您的办件{e.ApplicationNumber}（{Name(e.MatterName)}）未予通过。{reason}" +
            "如对结果有异议，可依法申请行政复议或提起行政诉讼；条件具备后也可重新申请。",
            ApplicationLink(e.ApplicationNumber), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>办结.</summary>
    public static NewMessage Completed(ApplicationCompletedIntegrationEvent e)
    {
        var outcome = e.Outcome switch
        {
            "approved" or "completed" => "结果为准予办理",
            "rejected" => "结果为不予办理",
            "withdrawn" => "已按您的申请撤回",
            "revoked" => "因承诺核查未通过已撤销",
            "declined" => "您已放弃领取",
            _ => "已结束",
        };
        return new(NotificationCategory.ApplicationCompleted, $"已办结：{Name(e.MatterName)}",
            $"您的办件{e.ApplicationNumber}（{Name(e.MatterName)}）已办结，{outcome}。欢迎在办件页面对本次服务进行评价（好差评）。",
            ApplicationLink(e.ApplicationNumber), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>A task in a work list or handed to a caseworker.</summary>
    public static NewMessage TaskAssigned(TaskAssignedIntegrationEvent e)
    {
        var step = Name(e.Title, "待办");
        var due = e.DueAt is { } at ? $"请在{ChinaTime.DeadlineDay(at)}前办理。" : "请及时办理。";
        var forApplicant = e.Department == "applicant";
        var text = e.AssignedTo is not null
            ? $"办件{e.ApplicationNumber}（{Name(e.ApplicationName)}）的“{step}”任务已交由您办理。{due}"
            : forApplicant
                ? $"您的办件{e.ApplicationNumber}（{Name(e.ApplicationName)}）有一项“{step}”需要您处理。{due}"
                : $"办件{e.ApplicationNumber}（{Name(e.ApplicationName)}）的“{step}”任务已进入本部门待办，请认领后办理。{due}";
        return new(NotificationCategory.TaskAssigned, $"新的待办：{step}", text,
            forApplicant ? ApplicationLink(e.ApplicationNumber) : TaskLink(e.TaskId), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>督办 (to the holder) and the department leads' copy.</summary>
    public static NewMessage Overdue(TaskOverdueIntegrationEvent e, bool forLeads)
    {
        var step = Name(e.Title, "待办");
        var due = e.DueAt is { } at ? $"办理期限为{ChinaTime.DeadlineDay(at)}，" : "";
        if (e.Escalation == "remind")
        {
            return new(NotificationCategory.TaskOverdue, $"即将超期：{step}",
                $"办件{e.ApplicationNumber}的“{step}”任务{due}即将超期，请尽快办理。",
                TaskLink(e.TaskId), e.ApplicationNumber, e.Id, e.OccurredAt);
        }
        return forLeads
            ? new(NotificationCategory.TaskOverdue, $"督办：{step}已超期",
                $"本部门办件{e.ApplicationNumber}的“{step}”任务{due}已超期未办，已发起督办。请督促经办人尽快办理，必要时改派。",
                TaskLink(e.TaskId), e.ApplicationNumber, e.Id, e.OccurredAt)
            : new(NotificationCategory.TaskOverdue, $"督办：{step}已超期",
                $"办件{e.ApplicationNumber}的“{step}”任务{due}已超期，已列入督办。请立即办理，确有困难请向部门负责人说明。",
                TaskLink(e.TaskId), e.ApplicationNumber, e.Id, e.OccurredAt);
    }

    /// <summary>证照签发.</summary>
    public static NewMessage LicenceIssued(LicenceIssuedIntegrationEvent e, string verifyUrl)
    {
        var validity = e.ValidUntil is { } until
            ? $"有效期自{ChinaTime.Day(e.ValidFrom)}至{ChinaTime.Day(until)}"
            : $"自{ChinaTime.Day(e.ValidFrom)}起长期有效";
        return new(NotificationCategory.LicenceIssued, "电子证照已签发",
            $"{Name(e.HolderName, "贵单位")}的电子证照（编号{e.LicenceNumber}）已签发并加盖电子印章，{validity}。" +
            $"办事时可直接使用电子证照免交纸质材料；任何人可在 {verifyUrl} 核验其真伪。",
            verifyUrl, e.LicenceNumber, e.Id, e.OccurredAt);
    }

    /// <summary>证照状态变更.</summary>
    public static NewMessage LicenceStatusChanged(LicenceStatusChangedIntegrationEvent e, string verifyUrl)
    {
        var reason = string.IsNullOrWhiteSpace(e.Reason) ? "" : $"原因：{e.Reason.Trim()}。";
        var (title, next) = e.Status switch
        {
            "revoked" => ("电子证照已撤销", "该证照已不能再使用，如需继续经营请重新申请。"),
            "suspended" => ("电子证照已暂停", "暂停期间该证照不能使用，请按要求整改后申请恢复。"),
            _ => ("电子证照已恢复有效", "该证照可以继续正常使用。"),
        };
        return new(NotificationCategory.LicenceStatusChanged, title,
            $"电子证照（编号{e.LicenceNumber}）{title[4..]}。{reason}{next}当前状态可在 {verifyUrl} 核验。",
            verifyUrl, e.LicenceNumber, e.Id, e.OccurredAt);
    }

    /// <summary>政策找人.</summary>
    public static NewMessage PolicyMatched(PolicyMatchedIntegrationEvent e)
    {
        var reasons = e.Reasons is { Count: > 0 } list ? "符合条件：" + string.Join("；", list.Take(5)) + "。" : "";
        var amount = e.BenefitAmount is { } yuan ? $"最高可享{Yuan(yuan)}。" : "";
        var window = (e.ApplicationOpens, e.ApplicationCloses) switch
        {
            ({ } opens, { } closes) => $"申报时间为{ChinaTime.Day(opens)}至{ChinaTime.Day(closes)}，请在此期间提交申请。",
            (null, { } closes) => $"请在{ChinaTime.Day(closes)}前提交申请。",
            ({ } opens, null) => $"自{ChinaTime.Day(opens)}起可提交申请。",
            _ => "请查看政策全文了解申报方式。",
        };
        return new(NotificationCategory.PolicyMatched, $"您可能符合政策：{e.PolicyTitle}",
            $"根据贵单位的企业信息，贵单位可能符合《{e.PolicyTitle}》。{reasons}{amount}{window}",
            PolicyLink(e.PolicyId), e.PolicyId.ToString(), e.Id, e.OccurredAt);
    }

    /// <summary>免申即享.</summary>
    public static NewMessage BenefitOffered(BenefitOfferedIntegrationEvent e)
    {
        var amount = e.BenefitAmount is { } yuan ? $"金额最高{Yuan(yuan)}，" : "";
        var basis = string.IsNullOrWhiteSpace(e.DocumentNumber) ? "" : $"（{e.DocumentNumber}）";
        var reasons = e.Reasons is { Count: > 0 } list ? "依据：" + string.Join("；", list.Take(5)) + "。" : "";
        return new(NotificationCategory.BenefitOffered, $"免申即享待确认：{e.PolicyTitle}",
            $"贵单位符合《{e.PolicyTitle}》{basis}，无需申请即可享受，{amount}只需在“我的办件”中确认领取。{reasons}",
            "/api/cases/applications", e.OfferId.ToString(), e.Id, e.OccurredAt);
    }

    /// <summary>政策订阅.</summary>
    public static NewMessage SubscriptionMatched(SubscriptionMatchedIntegrationEvent e)
    {
        var why = new List<string>();
        if (e.MatchedTopics is { Count: > 0 } topics)
        {
            why.Add("主题“" + string.Join("、", topics) + "”");
        }
        if (e.MatchedKeywords is { Count: > 0 } keywords)
        {
            why.Add("关键词“" + string.Join("、", keywords) + "”");
        }
        var eligible = e.Eligible ? "经比对，贵单位符合该政策的申报条件。" : "贵单位暂不完全符合申报条件，可查看政策了解具体要求。";
        return new(NotificationCategory.SubscriptionMatched, $"订阅的政策有更新：{e.PolicyTitle}",
            $"新发布的政策《{e.PolicyTitle}》与您订阅的{string.Join("和", why)}相关。{eligible}",
            PolicyLink(e.PolicyId), e.PolicyId.ToString(), e.Id, e.OccurredAt);
    }

    /// <summary>The reminder the working day before a deadline.</summary>
    public static NewMessage Reminder(Reminder r, Guid id, DateTimeOffset at)
    {
        var step = Name(r.What, "待办");
        var text = r.ForApplicant
            ? $"您的办件{r.ApplicationNumber}（{Name(r.ApplicationName)}）的“{step}”将于{ChinaTime.DeadlineDay(r.DueAt)}到期，请在到期前完成，逾期可能导致办件被退回。"
            : $"办件{r.ApplicationNumber}（{Name(r.ApplicationName)}）的“{step}”任务将于{ChinaTime.DeadlineDay(r.DueAt)}到期，请在到期前办理，以免超期督办。";
        return new(NotificationCategory.DeadlineReminder, $"即将到期：{step}", text, r.Link, r.ApplicationNumber, id, at);
    }

    private static string Name(string? name, string fallback = "办件") => string.IsNullOrWhiteSpace(name) ? fallback : name.Trim();

    private static string Yuan(decimal yuan) =>
        yuan >= 10_000m && yuan % 10_000m == 0
            ? (yuan / 10_000m).ToString("0.##", CultureInfo.InvariantCulture) + "万元"
            : yuan.ToString("0.##", CultureInfo.InvariantCulture) + "元";
}
