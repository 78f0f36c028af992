using Songjiang.Notifications.Tests.Support;
using System.Text.Json;

namespace Songjiang.Notifications.Tests;

/// <summary>
/// Every event the platform publishes today becomes one plain-Chinese message in the right inbox, however often it is
/// delivered and in whatever order; nobody else's inbox ever shows it.
/// </summary>
public sealed class EventMessageTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task Each_category_reaches_the_applicant_once_though_every_event_comes_twice()
    {
        var number = Events.NewNumber();
        var applicationId = Guid.NewGuid();
        var licence = "L" + number;
        var (matched, offered, subscribed) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Songjiang.EventBus.IntegrationEvent[] events =
        [
            Events.CorrectionRequested(applicationId, number), Events.Accepted(applicationId, number), Events.Approved(applicationId, number),
            Events.Rejected(applicationId, number), Events.Completed(applicationId, number),
            Events.ApplicantTask(Guid.NewGuid(), number, DateTimeOffset.UtcNow.AddDays(20)),
            Events.LicenceIssued(licence), Events.LicenceRevoked(licence),
            Events.PolicyMatched(matched), Events.BenefitOffered(offered), Events.SubscriptionMatched(subscribed),
        ];
        foreach (var evt in events)
        {
            await platform.PublishAsync(evt);
            await platform.PublishAsync(evt);
        }

        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        string[] subjects = [number, licence, matched.ToString(), subscribed.ToString()];
        var inbox = await platform.InboxEventuallyAsync(enterprise, items =>
            NotificationsFixture.About(items, number).Count >= 6 && NotificationsFixture.About(items, licence).Count >= 2 &&
            NotificationsFixture.About(items, matched.ToString()).Count >= 1 && NotificationsFixture.About(items, subscribed.ToString()).Count >= 1 &&
            items.Any(i => i.GetProperty("category").GetString() == "BenefitOffered" && i.GetProperty("body").GetString()!.Contains("科技小巨人")));
        await Task.Delay(500);
        inbox = await platform.InboxAsync(enterprise);

        string[] expected =
        [
            "CorrectionRequested", "ApplicationAccepted", "ApplicationApproved", "ApplicationRejected", "ApplicationCompleted", "TaskAssigned",
            "LicenceIssued", "LicenceStatusChanged", "PolicyMatched", "SubscriptionMatched",
        ];
        var mine = inbox.Where(i => subjects.Contains(i.GetProperty("subject").GetString())).ToList();
        Assert.Equal(expected.Order(), mine.Select(i => i.GetProperty("category").GetString()!).Order());
        Assert.Single(inbox, i => i.GetProperty("category").GetString() == "BenefitOffered" && i.GetProperty("body").GetString()!.Contains("科技小巨人奖励"));

        string Body(string category) => mine.Single(i => i.GetProperty("category").GetString() == category).GetProperty("body").GetString()!;
        Assert.Contains("营业执照副本、股东会决议", Body("CorrectionRequested"));
        Assert.Contains("股东会决议缺少全体股东签字", Body("CorrectionRequested"));
        Assert.Contains("请于2026年12月21日前", Body("CorrectionRequested"));
        Assert.Contains("2026年12月17日前办结", Body("ApplicationAccepted"));
        Assert.Contains("未提供许可文件", Body("ApplicationRejected"));
        Assert.Contains($"/api/licenses/public/verify/{licence}", Body("LicenceIssued"));
        Assert.Contains("已撤销", Body("LicenceStatusChanged"));
        Assert.Contains("2026年12月1日至2027年3月31日", Body("PolicyMatched"));
        Assert.Contains("研发投入占比", Body("PolicyMatched"));
        Assert.Contains("50万元", Body("PolicyMatched"));
        var accepted = mine.Single(i => i.GetProperty("category").GetString() == "ApplicationAccepted");
        Assert.Equal("受理通知", accepted.GetProperty("categoryName").GetString());
        Assert.EndsWith("+08:00", accepted.GetProperty("createdAt").GetString());
        Assert.Equal($"/api/cases/applications/{number}", accepted.GetProperty("link").GetString());

        // Another enterprise sees none of it.
        var other = await platform.InboxAsync(await platform.UserTokenAsync("ent-g60bio"));
        Assert.DoesNotContain(other, i => subjects.Contains(i.GetProperty("subject").GetString()));
    }

    [Fact]
    public async Task Out_of_order_and_concurrent_redelivery_still_write_each_message_once()
    {
        var number = Events.NewNumber();
        var id = Guid.NewGuid();
        var completed = Events.Completed(id, number);
        var accepted = Events.Accepted(id, number);
        var approved = Events.Approved(id, number);
        // The end first, then the beginning; each event several times at once.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => platform.PublishAsync(completed)));
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => platform.PublishAsync(approved)));
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => platform.PublishAsync(accepted)));
        await platform.PublishAsync(completed);

        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        await platform.InboxEventuallyAsync(enterprise, items => NotificationsFixture.About(items, number).Count >= 3);
        await Task.Delay(500);
        var about = NotificationsFixture.About(await platform.InboxAsync(enterprise), number);
        Assert.Equal(["ApplicationAccepted", "ApplicationApproved", "ApplicationCompleted"],
            about.Select(i => i.GetProperty("category").GetString()).Order());
    }

    [Fact]
    public async Task Caseworkers_get_their_department_queue_their_own_hand_overs_and_督办_goes_to_the_leads()
    {
        var number = Events.NewNumber();
        var reviewer = await platform.UserTokenAsync("scj-reviewer");
        var clerk = await platform.UserTokenAsync("scj-clerk");
        var approver = await platform.UserTokenAsync("scj-approver");
        var taxClerk = await platform.UserTokenAsync("tax-clerk");
        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        var reviewerId = Tokens.Subject(reviewer);

        await platform.PublishAsync(Events.TaskQueued(Guid.NewGuid(), number, "market-regulation"));
        var handedOver = Guid.NewGuid();
        await platform.PublishAsync(Events.TaskHandedTo(handedOver, number, "market-regulation", reviewerId));
        var overdue = Events.Overdue(handedOver, number, "market-regulation", reviewerId);
        await platform.PublishAsync(overdue);
        await platform.PublishAsync(overdue);

        var mine = await platform.InboxEventuallyAsync(reviewer, items => NotificationsFixture.About(items, number).Count >= 3);
        var categories = NotificationsFixture.About(mine, number).Select(i => i.GetProperty("category").GetString()).Order().ToList();
        Assert.Equal(["TaskAssigned", "TaskAssigned", "TaskOverdue"], categories);
        Assert.Contains("已交由您办理", NotificationsFixture.About(mine, number).Select(i => i.GetProperty("body").GetString()!).Single(b => b.Contains("交由")));

        var leads = await platform.InboxEventuallyAsync(approver, items => NotificationsFixture.About(items, number).Any(i => i.GetProperty("category").GetString() == "TaskOverdue"));
        Assert.Contains("督促经办人", NotificationsFixture.About(leads, number).Single(i => i.GetProperty("category").GetString() == "TaskOverdue").GetProperty("body").GetString());

        // The clerk sees the department queue only; another department and the applicant see nothing of it.
        var clerkSees = NotificationsFixture.About(await platform.InboxAsync(clerk), number);
        Assert.Equal(["TaskAssigned"], clerkSees.Select(i => i.GetProperty("category").GetString()));
        Assert.Empty(NotificationsFixture.About(await platform.InboxAsync(taxClerk), number));
        Assert.Empty(NotificationsFixture.About(await platform.InboxAsync(enterprise), number));
    }

    [Fact]
    public async Task A_policy_match_respects_the_topics_the_enterprise_subscribed_to()
    {
        var outside = Guid.NewGuid();
        var inside = Guid.NewGuid();
        await platform.PublishAsync(Events.PolicyMatched(outside, Events.G60Bio, tags: ["金融"], subscribed: ["生物医药", "研发"]));
        await platform.PublishAsync(Events.PolicyMatched(inside, Events.G60Bio, tags: ["研发", "生物医药"], subscribed: ["生物医药", "研发"]));

        var enterprise = await platform.UserTokenAsync("ent-g60bio");
        await platform.InboxEventuallyAsync(enterprise, items => NotificationsFixture.About(items, inside.ToString()).Count == 1);
        await Task.Delay(300);
        Assert.Empty(NotificationsFixture.About(await platform.InboxAsync(enterprise), outside.ToString()));
    }

    internal static string CategoryOf(JsonElement item) => item.GetProperty("category").GetString()!;
}
