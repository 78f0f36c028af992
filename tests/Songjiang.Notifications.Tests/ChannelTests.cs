using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Notifications.Tests.Support;
using System.Net;

namespace Songjiang.Notifications.Tests;

/// <summary>
/// E-mail to a real SMTP server and SMS to the embedded provider's outbox table, sent through the channel outbox with
/// retries and a per-address rate limit; the inbox message never depends on a channel.
/// </summary>
public sealed class ChannelTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    /// <summary>Seconds normally; a minute at worst on a busy two-core machine (the wait ends when the message arrives).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_correction_request_arrives_by_e_mail_in_Chinese_and_by_SMS_in_the_provider_outbox()
    {
        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        using (var set = await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", enterprise,
            new { mutedCategories = Array.Empty<string>(), email = true, emailAddress = "banshi@zhisuan.example.cn", sms = true, mobileNumber = "13800138000" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        var number = Events.NewNumber();
        await platform.PublishAsync(Events.CorrectionRequested(Guid.NewGuid(), number));

        var mail = await platform.Smtp.WaitForAsync(m => m.TextBody?.Contains(number) == true, Patience);
        Assert.Equal("banshi@zhisuan.example.cn", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("请补正材料：企业变更登记", mail.Subject);
        Assert.Contains("股东会决议缺少全体股东签字", mail.TextBody);
        Assert.Contains("营业执照副本、股东会决议", mail.TextBody);
        Assert.Equal("utf-8", mail.BodyParts.OfType<MimeKit.TextPart>().Single().ContentType.Charset, ignoreCase: true);
        Assert.Equal("松江区一网通办", Assert.Single(mail.From.Mailboxes).Name);

        var sms = await EventuallyAsync(async db => await db.SmsOutbox.AsNoTracking().Where(s => s.MobileNumber == "13800138000").ToListAsync(),
            rows => rows.Any(r => r.Text.Contains(number)));
        var text = sms.Single(r => r.Text.Contains(number)).Text;
        Assert.StartsWith("【松江一网通办】请补正材料", text);
    }

    [Fact]
    public async Task A_channel_that_keeps_failing_is_retried_then_given_up_and_the_inbox_message_stands()
    {
        var enterprise = await platform.UserTokenAsync("ent-g60bio");
        (await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", enterprise,
            new { mutedCategories = Array.Empty<string>(), email = true, emailAddress = "reject-me@g60bio.example.cn", sms = false })).Dispose();
        var number = Events.NewNumber();
        await platform.PublishAsync(Events.Rejected(Guid.NewGuid(), number, Events.G60Bio));

        await platform.InboxEventuallyAsync(enterprise, items => NotificationsFixture.About(items, number).Count == 1);
        var deliveries = await EventuallyAsync(
            // Only the rejection's delivery: the policy radar may push a match to the same enterprise meanwhile.
            async db => await db.Deliveries.AsNoTracking()
                .Where(d => d.Address == "reject-me@g60bio.example.cn" && (d.Subject.Contains(number) || d.Body.Contains(number)))
                .ToListAsync(),
            rows => rows.Count == 1 && rows[0].Status == DeliveryStatus.Failed);
        Assert.Equal(3, deliveries[0].Attempts);
        Assert.NotNull(deliveries[0].LastError);
        Assert.DoesNotContain(platform.Smtp.Received, m => m.To.Mailboxes.Any(a => a.Address.StartsWith("reject", StringComparison.Ordinal)));
        Assert.Single(NotificationsFixture.About(await platform.InboxAsync(enterprise), number));
    }

    [Fact]
    public async Task One_address_gets_at_most_its_rate_limit_and_the_rest_wait_while_the_inbox_has_everything()
    {
        var caseworker = await platform.UserTokenAsync("hr-clerk");
        (await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", caseworker,
            new { mutedCategories = Array.Empty<string>(), email = true, emailAddress = "hr-clerk@songjiang.example.cn", sms = false })).Dispose();
        var number = Events.NewNumber();
        var userId = Tokens.Subject(caseworker);
        for (var i = 0; i < 5; i++)
        {
            await platform.PublishAsync(Events.TaskHandedTo(Guid.NewGuid(), number, "human-resources", userId));
        }

        await platform.InboxEventuallyAsync(caseworker, items => NotificationsFixture.About(items, number).Count == 5);
        var deliveries = await EventuallyAsync(
            async db => await db.Deliveries.AsNoTracking().Where(d => d.Address == "hr-clerk@songjiang.example.cn").ToListAsync(),
            rows => rows.Count == 5 && rows.Count(r => r.Status == DeliveryStatus.Sent) == 3 && rows.Count(r => r.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(5)) == 2);
        Assert.Equal(2, deliveries.Count(d => d.Status == DeliveryStatus.Pending));
        await Task.Delay(500);
        Assert.Equal(3, platform.Smtp.Received.Count(m => m.To.Mailboxes.Any(a => a.Address == "hr-clerk@songjiang.example.cn")));
    }

    private async Task<T> EventuallyAsync<T>(Func<NotificationsDbContext, Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        T value;
        do
        {
            await using var scope = platform.Host.Application("notifications").Services.CreateAsyncScope();
            value = await read(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
            if (done(value))
            {
                return value;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail("the channel outbox never reached the expected state");
        return value;
    }
}
