using System.Text.Json.Nodes;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.ApprovalDefinitions;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>退回, 会签 with a quorum, 加签 and 转办 in the runtime.</summary>
public sealed class ApprovalPatternTests
{
    private static async Task<(WorkflowFixture F, Guid Instance, Guid Review)> AtReviewAsync(Provider provider = Provider.Sqlite, string quorum = "", bool pauses = false)
    {
        var f = await WorkflowFixture.CreateAsync(provider, Approval(quorum, pauses));
        var started = await f.Runtime.StartAsync("approval", "SJ-A", null, Clerk);
        var accepted = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "accept"));
        return (f, started.InstanceId, accepted.OpenTaskIds.Single());
    }

    private static async Task<IReadOnlyList<WorkflowTask>> TasksOf(WorkflowFixture f, WorkflowActor actor) =>
        await f.Runtime.GetTasksAsync(actor.Department, actor.Roles);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_task_sent_back_reopens_the_earlier_step_with_the_reason_and_the_clock_keeps_running(Provider provider)
    {
        var (f, instance, review) = await AtReviewAsync(provider);
        await using var _ = f;
        var due = (await f.Runtime.GetInstanceViewAsync(instance)).StatutoryDueAt;

        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.SendBackAsync(new(review, Fire, "accept", "材料不符")));
        await Assert.ThrowsAsync<WorkflowCommandRefusedException>(() => f.Runtime.SendBackAsync(new(review, Market, "decide", "越级")));
        await Assert.ThrowsAsync<WorkflowCommandRefusedException>(() => f.Runtime.SendBackAsync(new(review, Market, "review", "自己")));
        var sent = await f.Runtime.SendBackAsync(new(review, Market, "accept", "营业执照复印件与原件不符，请窗口重新核对"));

        Assert.True(sent.Applied);
        var accept = Assert.Single(await TasksOf(f, Clerk));
        Assert.Equal("accept", accept.NodeId);
        Assert.Empty(await TasksOf(f, Market));
        var view = await f.Runtime.GetInstanceViewAsync(instance);
        Assert.Equal(due, view.StatutoryDueAt);
        Assert.False(view.ClockPaused);
        var entry = (await f.Runtime.GetJournalAsync(instance)).Single(e => e.Action == JournalActions.SentBack);
        Assert.Equal((Market.Id, "review", "accept"), (entry.Actor, entry.NodeId, entry.Delta!["to"]!.GetValue<string>()));
        Assert.Contains("重新核对", entry.Delta["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The step runs again from there.
        var again = await f.Runtime.CompleteTaskAsync(new(accept.Id, Clerk, "accept"));
        Assert.Equal("review", (await f.Runtime.GetInstanceViewAsync(instance)).Tokens.Single(t => t.Id == again.OpenTaskIds.Single()).NodeId);
    }

    [Fact]
    public async Task A_procedure_may_stop_the_clock_while_a_step_sent_back_waits()
    {
        var (f, instance, review) = await AtReviewAsync(pauses: true);
        await using var _ = f;
        await f.Runtime.SendBackAsync(new(review, Market, "accept", "补充核验"));
        Assert.True((await f.Runtime.GetInstanceViewAsync(instance)).ClockPaused);

        await f.Runtime.CompleteTaskAsync(new((await TasksOf(f, Clerk)).Single().Id, Clerk, "accept"));
        Assert.False((await f.Runtime.GetInstanceViewAsync(instance)).ClockPaused);
    }

    [Fact]
    public async Task A_countersign_of_all_needs_every_signer_and_keeps_each_opinion()
    {
        var (f, instance, review) = await AtReviewAsync();
        await using var _ = f;
        var opened = await f.Runtime.CompleteTaskAsync(new(review, Market, "approve"));
        Assert.Equal(3, opened.OpenTaskIds.Count);

        await f.Runtime.CompleteTaskAsync(new((await TasksOf(f, Market)).Single().Id, Market, "agree", new() { ["opinion"] = "市场监管同意" }));
        await f.Runtime.CompleteTaskAsync(new((await TasksOf(f, Fire)).Single().Id, Fire, "agree", new() { ["opinion"] = "消防同意" }));
        Assert.Equal(["countersign"], (await f.Runtime.GetInstanceViewAsync(instance)).Tokens.Select(t => t.NodeId));
        var last = await f.Runtime.CompleteTaskAsync(new((await TasksOf(f, Clerk)).Single().Id, Clerk, "agree", new() { ["opinion"] = "窗口同意" }));

        var view = await f.Runtime.GetInstanceViewAsync(instance);
        Assert.Equal(["decide"], view.Tokens.Select(t => t.NodeId));
        Assert.Equal(last.OpenTaskIds, view.Tokens.Select(t => t.Id));
        Assert.Equal("agree", view.Data["countersign"]!["action"]!.GetValue<string>());
        Assert.Equal(["市场监管同意", "消防同意", "窗口同意"],
            view.Data["countersign"]!["signatures"]!.AsArray().Select(s => s!["opinion"]!.GetValue<string>()));
        var journal = await f.Runtime.GetJournalAsync(instance);
        Assert.Equal(3, journal.Count(e => e.Action == JournalActions.Countersigned));
        Assert.Equal(3, journal.Single(e => e.Action == JournalActions.CountersignDecided).Delta!["agreed"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_countersign_of_two_of_three_moves_on_at_the_quorum_and_cancels_the_last_signer()
    {
        var (f, instance, review) = await AtReviewAsync(quorum: ", \"quorum\": 2");
        await using var _ = f;
        await f.Runtime.CompleteTaskAsync(new(review, Market, "approve"));
        await f.Runtime.CompleteTaskAsync(new((await TasksOf(f, Market)).Single().Id, Market, "agree"));
        Assert.Equal(2, (await f.Runtime.GetInstanceViewAsync(instance)).Tokens.Count);
        await f.Runtime.CompleteTaskAsync(new((await TasksOf(f, Clerk)).Single().Id, Clerk, "agree"));

        Assert.Equal(["decide"], (await f.Runtime.GetInstanceViewAsync(instance)).Tokens.Select(t => t.NodeId));
        Assert.Empty(await TasksOf(f, Fire));

        // A second case: two disagree, so two of three can no longer agree and the step takes "disagree" at once.
        var second = await f.Runtime.StartAsync("approval", "SJ-B", null, Clerk);
        var r = await f.Runtime.CompleteTaskAsync(new(second.OpenTaskIds.Single(), Clerk, "accept"));
        await f.Runtime.CompleteTaskAsync(new(r.OpenTaskIds.Single(), Market, "approve"));
        var fireTask = (await TasksOf(f, Fire)).Single(t => t.CorrelationId == "SJ-B");
        await f.Runtime.CompleteTaskAsync(new(fireTask.Id, Fire, "disagree"));
        var marketTask = (await TasksOf(f, Market)).Single(t => t.CorrelationId == "SJ-B");
        await f.Runtime.CompleteTaskAsync(new(marketTask.Id, Market, "disagree"));
        var ended = await f.Runtime.GetInstanceViewAsync(second.InstanceId);
        Assert.Equal(("rejected", WorkflowInstanceStatus.Completed), (ended.Outcome, ended.Status));
        Assert.DoesNotContain(await TasksOf(f, Clerk), t => t.CorrelationId == "SJ-B");
    }

    [Fact]
    public async Task A_signer_added_before_the_holder_signs_first_and_the_task_comes_back_to_the_holder()
    {
        var (f, instance, review) = await AtReviewAsync();
        await using var _ = f;
        var added = await f.Runtime.AddSignerAsync(new(review, Market, SignerPosition.Before, FireChief.Id, "fire", ["reviewer"],
            new JsonObject { ["opinion"] = "请消防先看疏散通道" }));
        var signerTask = added.OpenTaskIds.Single();

        // Only the named signer may sign; the holder's own department cannot.
        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.CompleteTaskAsync(new(signerTask, Fire, "sign")));
        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.CompleteTaskAsync(new(signerTask, Market, "sign")));
        await Assert.ThrowsAsync<WorkflowActionNotAllowedException>(() => f.Runtime.CompleteTaskAsync(new(signerTask, FireChief, "approve")));
        var back = await f.Runtime.CompleteTaskAsync(new(signerTask, FireChief, "sign", new() { ["opinion"] = "疏散通道符合要求" }));

        var returned = back.OpenTaskIds.Single();
        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.CompleteTaskAsync(new(returned, MarketColleague, "approve")));
        await f.Runtime.CompleteTaskAsync(new(returned, Market, "approve", new() { ["opinion"] = "同意" }));
        var view = await f.Runtime.GetInstanceViewAsync(instance);
        Assert.Equal("countersign", view.Tokens.First().NodeId);
        Assert.Equal("疏散通道符合要求", view.Data["review"]!["signatures"]![0]!["opinion"]!.GetValue<string>());
        var journal = await f.Runtime.GetJournalAsync(instance);
        Assert.Equal("before", journal.Single(e => e.Action == JournalActions.SignerAdded).Delta!["position"]!.GetValue<string>());
        Assert.Single(journal, e => e.Action == JournalActions.SignerSigned && e.Actor == FireChief.Id);
    }

    [Fact]
    public async Task A_signer_added_after_the_holder_takes_the_decision_and_the_holder_opinion_is_kept()
    {
        var (f, instance, review) = await AtReviewAsync();
        await using var _ = f;
        await Assert.ThrowsAsync<WorkflowCommandRefusedException>(() =>
            f.Runtime.AddSignerAsync(new(review, Market, SignerPosition.After, Market.Id, "market", ["reviewer"])));
        var added = await f.Runtime.AddSignerAsync(new(review, Market, SignerPosition.After, MarketColleague.Id, "market", ["reviewer"],
            new JsonObject { ["opinion"] = "初审同意，请复核" }));

        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.CompleteTaskAsync(new(added.OpenTaskIds.Single(), Market, "approve")));
        await f.Runtime.CompleteTaskAsync(new(added.OpenTaskIds.Single(), MarketColleague, "approve", new() { ["opinion"] = "复核同意" }));

        var view = await f.Runtime.GetInstanceViewAsync(instance);
        Assert.Equal("countersign", view.Tokens.First().NodeId);
        Assert.Equal(MarketColleague.Id, view.Data["review"]!["actor"]!.GetValue<string>());
        Assert.Equal("初审同意，请复核", view.Data["review"]!["signatures"]![0]!["opinion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_task_transferred_goes_to_the_other_department_queue_only_where_the_step_allows()
    {
        var (f, instance, review) = await AtReviewAsync();
        await using var _ = f;
        await Assert.ThrowsAsync<WorkflowCommandRefusedException>(() => f.Runtime.TransferTaskAsync(new(review, Market, "tax", "不属本局")));
        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.TransferTaskAsync(new(review, Fire, "fire", "抢")));
        var moved = await f.Runtime.TransferTaskAsync(new(review, Market, "fire", "涉及消防审查，转消防"));

        Assert.Empty(await TasksOf(f, Market));
        var task = Assert.Single(await TasksOf(f, Fire));
        Assert.Equal(moved.OpenTaskIds.Single(), task.Id);
        await f.Runtime.CompleteTaskAsync(new(task.Id, Fire, "approve"));
        var entry = (await f.Runtime.GetJournalAsync(instance)).Single(e => e.Action == JournalActions.Transferred);
        Assert.Equal(("market", "fire"), (entry.Delta!["from"]!.GetValue<string>(), entry.Delta["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_countersign_definition_is_checked_when_published()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite);
        var bad = Approval(", \"quorum\": 4").Replace("\"agree\": \"agree\" }", "\"agree\": \"yes\" }", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<global::Songjiang.Workflows.Definitions.WorkflowDefinitionException>(() => f.Runtime.PublishDefinitionAsync(bad));
        Assert.Contains(error.Errors, e => e.Contains("quorum", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'yes'", StringComparison.Ordinal));
    }
}
