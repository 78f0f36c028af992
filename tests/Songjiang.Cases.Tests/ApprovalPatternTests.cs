using System.Net;
using Songjiang.Cases.Tests.Support;
using Songjiang.Testing;
using static Songjiang.Cases.Tests.Support.ApprovalProcedures;

namespace Songjiang.Cases.Tests;

/// <summary>
/// 退回, 会签 (all, and two of three), 加签 and 转办 through the gateway, on a procedure version the administrator
/// published: each shows in the journal and the audit history, and is refused to the wrong caseworker.
/// </summary>
public sealed class ApprovalPatternTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    private async Task<(string Number, Guid Review)> AtReviewAsync()
    {
        await PublishAsync(_cases, Countersigned);
        var number = await SubmitAsync(_cases);
        await _cases.ActAsync("hr-clerk", number, "accept");
        var review = await TaskOfAsync(_cases, "hr-reviewer", number);
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/claim");
        return (number, review);
    }

    [Fact]
    public async Task A_reviewer_sends_the_case_back_to_acceptance_with_a_reason_and_the_clock_keeps_running()
    {
        var (number, review) = await AtReviewAsync();
        var before = (await _cases.ApplicationAsync("ent-zhisuan", number)).GetProperty("summary");

        // Another department's reviewer does not see the task; a colleague who did not claim it may not act on it.
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/send-back",
            new { toStep = "accept", reason = "抢先退回" });
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{review}/send-back",
            new { toStep = "accept", reason = "越权退回" });
        var noReason = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/send-back",
            new { toStep = "accept" });
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var later = await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/send-back",
            new { toStep = "decide", reason = "跳过" });
        Assert.Contains("之前", later.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/send-back",
            new { toStep = "accept", reason = "欠费结清证明与税务系统记录不一致，请窗口重新核对后受理" });

        var again = Assert.Single(await _cases.TasksAsync("hr-clerk", number));
        Assert.Equal("accept", again.GetProperty("step").GetString());
        var after = (await _cases.ApplicationAsync("ent-zhisuan", number)).GetProperty("summary");
        Assert.Equal("submitted", after.GetProperty("status").GetString());
        Assert.False(after.GetProperty("clockPaused").GetBoolean());
        Assert.Equal(before.GetProperty("statutoryDueAt").GetDateTimeOffset(), after.GetProperty("statutoryDueAt").GetDateTimeOffset());

        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        var sentBack = timeline.EnumerateArray().Single(e => e.GetProperty("event").GetString() == "sent-back");
        Assert.Contains("退回至“受理”", sentBack.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = await AuditAsync(_cases, "hr-approver", number);
        var entry = Assert.Single(audit, e => e.Event == "sent-back");
        Assert.Contains("吴刚", entry.ByName, StringComparison.Ordinal);
        Assert.Contains("重新核对", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(["opened", "claimed", "completed", "opened", "claimed", "sent-back", "opened"], audit.Select(e => e.Event));
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/audit");
    }

    [Fact]
    public async Task A_countersign_of_all_then_two_of_three_departments_keeps_each_opinion_and_moves_on_at_the_quorum()
    {
        var (number, review) = await AtReviewAsync();
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/complete",
            new { action = "approve", opinion = "材料齐全，提请会签" });

        // 部门会签: tax and market regulation must both agree; neither sees the other's part.
        Assert.Empty(await _cases.TasksAsync("hr-reviewer", number));
        var taxPart = await TaskOfAsync(_cases, "tax-reviewer", number);
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "scj-reviewer", HttpMethod.Post, $"/api/cases/tasks/{taxPart}/claim");
        await _cases.ActAsync("tax-reviewer", number, "agree", "税务无欠费记录，同意");
        Assert.Empty(await _cases.TasksAsync("hr-reviewer", number));
        await _cases.ActAsync("scj-reviewer", number, "agree", "无市场监管异常，同意");

        // 联合会签: two of human resources, tax and market regulation suffice; the third part is withdrawn.
        await _cases.ActAsync("hr-reviewer", number, "agree", "同意注销");
        await _cases.ActAsync("tax-reviewer", number, "agree", "同意");
        Assert.Empty(await _cases.TasksAsync("scj-reviewer", number));
        await _cases.ActAsync("hr-approver", number, "approve", "准予注销登记");

        var done = (await _cases.ApplicationAsync("ent-zhisuan", number)).GetProperty("summary");
        Assert.Equal(("completed", "approved"), (done.GetProperty("status").GetString(), done.GetProperty("outcome").GetString()));
        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        var decided = timeline.EnumerateArray().Where(e => e.GetProperty("event").GetString() == "countersigned")
            .Select(e => e.GetProperty("detail").GetString()).ToList();
        Assert.Equal(["会签结果：同意（2/2 同意）", "会签结果：同意（2/2 同意）"], decided);
        var audit = await AuditAsync(_cases, "hr-approver", number);
        var cosigned = audit.Where(e => e.Event == "co-signed").ToList();
        Assert.Equal(4, cosigned.Count);
        Assert.Contains(cosigned, e => e.ByName.Contains("杨帆", StringComparison.Ordinal) && e.Detail == "同意：税务无欠费记录，同意");
        Assert.Contains(cosigned, e => e.ByName.Contains("赵强", StringComparison.Ordinal));
        Assert.Single(audit, e => e.Event == "cancelled");
    }

    [Fact]
    public async Task A_reviewer_adds_a_signer_before_and_after_themself_for_this_case_only()
    {
        var (number, review) = await AtReviewAsync();
        var (taxReviewer, hrReviewer, hrApprover) = (await SubjectAsync(_cases, "tax-reviewer"), await SubjectAsync(_cases, "hr-reviewer"),
            await SubjectAsync(_cases, "hr-approver"));

        // 前加签: the tax reviewer gives an opinion first, then the task comes back to the reviewer.
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/add-signer",
            new { position = "before", userId = taxReviewer });
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/add-signer",
            new { position = "sideways", userId = taxReviewer });
        // The signer is checked against identity: no such account, or one without the role in that department, is refused.
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/add-signer",
            new { position = "before", userId = "no-such-caseworker" });
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/add-signer",
            new { position = "before", userId = "hr-clerk", role = "reviewer" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/add-signer",
            new { position = "before", userId = taxReviewer, name = "冒名", department = "tax", role = "reviewer", opinion = "请税务确认无欠费" });
        var signing = Assert.Single(await _cases.TasksAsync("tax-reviewer", number));
        Assert.Equal(["sign"], signing.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(taxReviewer, signing.GetProperty("assignedTo").GetString());
        var signingId = signing.GetProperty("id").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{signingId}/complete", new { action = "sign" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "tax-reviewer", HttpMethod.Post, $"/api/cases/tasks/{signingId}/complete",
            new { action = "sign", opinion = "经核查无欠费" });

        // The task is back with the reviewer, named; 后加签: the approver takes the decision after the reviewer's opinion.
        var back = Assert.Single(await _cases.TasksAsync("hr-reviewer", number));
        Assert.Equal(hrReviewer, back.GetProperty("assignedTo").GetString());
        var backId = back.GetProperty("id").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{backId}/add-signer",
            new { position = "after", userId = hrApprover, name = "郑丽", role = "approver", opinion = "初审同意，请审批人复核" });
        var approverPart = Assert.Single(await _cases.TasksAsync("hr-approver", number)).GetProperty("id").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{approverPart}/claim");
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"/api/cases/tasks/{approverPart}/complete",
            new { action = "approve", opinion = "复核同意" });

        Assert.Single(await _cases.TasksAsync("tax-reviewer", number));
        var audit = await AuditAsync(_cases, "hr-approver", number);
        Assert.Equal(2, audit.Count(e => e.Event == "signer-added"));
        Assert.Contains(audit, e => e.Event == "signer-added" && e.Detail!.StartsWith("前加签：杨帆", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Event == "co-signed" && e.ByName.Contains("杨帆", StringComparison.Ordinal) && e.Detail!.Contains("无欠费", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Event == "completed" && e.ByName.Contains("郑丽", StringComparison.Ordinal));
        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        Assert.Equal(2, timeline.EnumerateArray().Count(e => e.GetProperty("event").GetString() == "signer-added"));
    }

    [Fact]
    public async Task A_reviewer_transfers_the_task_to_the_tax_bureau_where_the_step_allows_it()
    {
        var (number, review) = await AtReviewAsync();
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/transfer",
            new { department = "tax", reason = "抢办" });
        var refused = await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/transfer",
            new { department = "market-regulation", reason = "不属本局" });
        Assert.Contains("tax", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/transfer",
            new { department = "tax", reason = "注销涉及欠费核定，转税务局审查" });
        Assert.Empty(await _cases.TasksAsync("hr-reviewer", number));
        await _cases.ActAsync("tax-reviewer", number, "approve", "税务审查同意");
        Assert.Single(await _cases.TasksAsync("scj-reviewer", number));

        var audit = await AuditAsync(_cases, "tax-reviewer", number);
        var transferred = Assert.Single(audit, e => e.Event == "transferred");
        Assert.Contains("吴刚", transferred.ByName, StringComparison.Ordinal);
        Assert.Equal("转办至 tax：注销涉及欠费核定，转税务局审查", transferred.Detail);
        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        Assert.Single(timeline.EnumerateArray(), e => e.GetProperty("event").GetString() == "transferred");
    }

    [Fact]
    public async Task A_caseworker_saves_a_draft_of_the_opinion_and_form_and_comes_back_to_it()
    {
        var (number, review) = await AtReviewAsync();
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "hr-reviewer", HttpMethod.Get, $"/api/cases/tasks/{review}/draft");
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Put, $"/api/cases/tasks/{review}/draft",
            new { action = "publish", opinion = "草稿" });
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-approver", HttpMethod.Put, $"/api/cases/tasks/{review}/draft",
            new { opinion = "不是我的任务" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Put, $"/api/cases/tasks/{review}/draft",
            new { action = "approve", opinion = "材料齐全，拟同意", form = new { arrearsChecked = true, note = "已电话核实" } });

        var draft = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Get, $"/api/cases/tasks/{review}/draft");
        Assert.Equal(("approve", "材料齐全，拟同意"), (draft.GetProperty("action").GetString(), draft.GetProperty("opinion").GetString()));
        Assert.True(draft.GetProperty("form").GetProperty("arrearsChecked").GetBoolean());
        Assert.EndsWith("+08:00", draft.GetProperty("savedAt").GetString(), StringComparison.Ordinal);
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-reviewer", HttpMethod.Get, $"/api/cases/tasks/{review}/draft");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "hr-approver", HttpMethod.Get, $"/api/cases/tasks/{review}/draft");

        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{review}/complete",
            new { action = "approve", opinion = "材料齐全，同意" });
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "hr-reviewer", HttpMethod.Get, $"/api/cases/tasks/{review}/draft");
    }
}
