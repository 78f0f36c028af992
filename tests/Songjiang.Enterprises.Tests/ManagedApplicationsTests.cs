using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.EventHandling;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.SharedKernel;
using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.Enterprises.Tests;

/// <summary>
/// Account managers (店小二) follow their enterprises' applications through the cases service's events, published on
/// the platform's bus; nobody else sees them.
/// </summary>
public sealed class ManagedApplicationsTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Zhisuan = "91310117MA1J3GKL0Q";
    private const string Manager = "scj-reviewer";       // manages 智算 in these tests
    private const string OtherManager = "hr-reviewer";   // manages a new enterprise
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task The_manager_sees_the_open_applications_of_the_managed_enterprise_with_bundle_children_under_their_parent()
    {
        // A new enterprise, so that nothing else the platform does (such as proactive benefits) adds to its list.
        var yunfan = await RegisterAsync("上海松江云帆物流有限公司");
        await ManageAsync(yunfan, OtherManager);
        var tax = App("SJ-SW-002", "增值税一般纳税人登记", yunfan);
        var closed = App("SJ-KW-002", "科技型中小企业评价", yunfan);
        var bundle = App(null, "建设项目开工一件事", yunfan, bundle: "YJS-XMKG");
        var child1 = App("SJ-HB-001", "建设项目环境影响评价文件审批", yunfan, bundle: "YJS-XMKG", parent: bundle.Number, child: 1);
        var child2 = App("SJ-JW-001", "建筑工程施工许可证核发", yunfan, bundle: "YJS-XMKG", parent: bundle.Number, child: 2);
        var foreign = App("SJ-SW-002", "增值税一般纳税人登记", Zhisuan);
        var due = T0.AddDays(20);

        IntegrationEvent[] events = [Submitted(tax, T0), Accepted(tax, T0.AddHours(1), due), Submitted(closed, T0),
            Completed(closed, T0.AddHours(2), "rejected"), Submitted(bundle, T0), Submitted(child1, T0), Submitted(child2, T0),
            Accepted(child2, T0.AddHours(1), due), Submitted(foreign, T0)];
        await PublishAsync(events);
        await HandledAsync(events);

        var page = await ListAsync(OtherManager, "");
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal([tax.Number, bundle.Number], Items(page).Select(i => i.GetProperty("number").GetString()));  // newest change first
        Assert.Equal("Accepted", Find(page, tax.Number)!.Value.GetProperty("status").GetString());
        var view = Find(page, tax.Number)!.Value;
        Assert.Equal("增值税一般纳税人登记", view.GetProperty("name").GetString());
        Assert.Equal("SJ-SW-002", view.GetProperty("matterCode").GetString());
        Assert.Equal(yunfan, view.GetProperty("applicantUscc").GetString());
        Assert.Equal("上海松江云帆物流有限公司", view.GetProperty("enterpriseName").GetString());
        Assert.Equal(due, view.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(T0.AddHours(1), view.GetProperty("lastChangedAt").GetDateTimeOffset());
        var children = Find(page, bundle.Number)!.Value.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal([child1.Number, child2.Number], children.Select(c => c.GetProperty("number").GetString()));
        Assert.Equal(["Submitted", "Accepted"], children.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal("YJS-XMKG", Find(page, bundle.Number)!.Value.GetProperty("bundleCode").GetString());
        Assert.DoesNotContain(Items(page), i => i.GetProperty("number").GetString() == closed.Number);
        Assert.DoesNotContain(Items(page), i => i.GetProperty("number").GetString() == foreign.Number);

        // Filters and pages.
        var rejected = await ListAsync(OtherManager, $"?status=completed&uscc={yunfan}");
        Assert.Equal([closed.Number], Items(rejected).Select(i => i.GetProperty("number").GetString()));
        Assert.Equal("rejected", Items(rejected)[0].GetProperty("outcome").GetString());
        var first = await ListAsync(OtherManager, "?pageSize=1");
        var second = await ListAsync(OtherManager, "?pageSize=1&page=2");
        Assert.Equal(2, first.GetProperty("total").GetInt32());
        Assert.Single(Items(first));
        Assert.Single(Items(second));
        Assert.NotEqual(Items(first)[0].GetProperty("number").GetString(), Items(second)[0].GetProperty("number").GetString());

        // An admin sees every enterprise's, and may filter by one.
        var admin = await ListAsync("admin", $"?uscc={Zhisuan}&pageSize=100");
        Assert.Contains(Items(admin), i => i.GetProperty("number").GetString() == foreign.Number);
    }

    [Fact]
    public async Task Redelivered_and_reordered_events_leave_the_state_of_the_latest_event()
    {
        await ManageAsync(Zhisuan);
        var a = App("SJ-HB-002", "排污许可证核发", Zhisuan);
        var b = App("SJ-KW-001", "高新技术企业认定", Zhisuan);

        // a: closed before its earlier steps arrive; b: the resubmission overtakes the correction request and the acceptance.
        IntegrationEvent[] published = [Completed(a, T0.AddDays(3), "approved"), Accepted(a, T0.AddHours(1), T0.AddDays(20)), Submitted(a, T0),
            Resubmitted(b, T0.AddDays(2)), CorrectionRequested(b, T0.AddDays(1)), Submitted(b, T0)];
        await PublishAsync(published);
        await PublishAsync(published);                                              // every one redelivered
        IntegrationEvent[] repeated = [.. published.Select(e => e with { Id = Guid.CreateVersion7() })];
        await PublishAsync(repeated);                                               // and announced again
        var accepted = Accepted(b, T0.AddHours(1), T0.AddDays(20));
        await PublishAsync(accepted, accepted);
        await HandledAsync([.. published, .. repeated, accepted]);

        var open = await ListAsync(Manager, $"?uscc={Zhisuan}&pageSize=100");
        var current = Find(open, b.Number)!.Value;
        Assert.Equal("Resubmitted", current.GetProperty("status").GetString());
        Assert.Equal(T0.AddDays(2), current.GetProperty("lastChangedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddDays(20), current.GetProperty("dueAt").GetDateTimeOffset());   // from the late acceptance
        Assert.Single(Items(open), i => i.GetProperty("number").GetString() == b.Number);
        Assert.Null(Find(open, a.Number));

        var completed = await ListAsync(Manager, $"?uscc={Zhisuan}&status=Completed&pageSize=100");
        var done = Assert.Single(Items(completed), i => i.GetProperty("number").GetString() == a.Number);
        Assert.Equal("approved", done.GetProperty("outcome").GetString());
        Assert.Equal(T0.AddDays(3), done.GetProperty("lastChangedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Nobody_but_the_manager_and_admins_sees_an_enterprises_applications()
    {
        await ManageAsync(Zhisuan);
        var secret = App("SJ-WJ-002", "医疗机构执业登记", Zhisuan);
        await PublishAsync(Submitted(secret, T0));
        await ListEventuallyAsync(Manager, "?pageSize=100", p => Find(p, secret.Number) is not null);

        // Another caseworker who manages nothing of it: an empty list, and a 403 naming the enterprise when asking for it.
        var other = await ListAsync("tax-clerk", "?pageSize=100");
        Assert.Null(Find(other, secret.Number));
        using (var named = await SendAsync("tax-clerk", $"?uscc={Zhisuan}"))
        {
            await AssertProblemAsync(named, HttpStatusCode.Forbidden, Zhisuan);
        }
        using (var named = await SendAsync("tax-clerk", $"?uscc={Zhisuan}&status=Submitted"))
        {
            await AssertProblemAsync(named, HttpStatusCode.Forbidden, Zhisuan);
        }

        // The enterprise itself, or another one, sees nothing here.
        foreach (var enterprise in new[] { "ent-zhisuan", "ent-g60bio" })
        {
            using var refused = await SendAsync(enterprise, "");
            await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "客户经理");
        }

        // No token, no list.
        using (var anonymous = await platform.Gateway.GetAsync("/api/enterprises/managed/applications"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // Nonsense filters are named.
        using var invalid = await SendAsync(Manager, "?status=lost&pageSize=1000&page=0&uscc=123");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await PlatformFixture.JsonOf(invalid)).GetProperty("errors");
        foreach (var field in new[] { "status", "pageSize", "page", "uscc" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    private sealed record Application(Guid Id, string Number, string? MatterCode, string Name, string Uscc, string? Bundle, string? Parent);

    private static Application App(string? matter, string name, string uscc, string? bundle = null, string? parent = null, int child = 0)
    {
        var number = parent is null ? $"SJ20261128-{Random.Shared.Next(1_000_000):D6}{Random.Shared.Next(1000):D3}" : $"{parent}-{child:D2}";
        return new Application(Guid.NewGuid(), number, matter, name, uscc, bundle, parent);
    }

    private static ApplicationSubmittedIntegrationEvent Submitted(Application a, DateTimeOffset at) =>
        new(a.Id, a.Number, a.MatterCode, a.Bundle, a.Uscc, a.Parent, a.Name) { OccurredAt = at };

    private static ApplicationAcceptedIntegrationEvent Accepted(Application a, DateTimeOffset at, DateTimeOffset due) =>
        new(a.Id, a.Number, a.MatterCode, a.Bundle, a.Uscc, a.Parent, a.Name, due) { OccurredAt = at };

    private static ApplicationCorrectionRequestedIntegrationEvent CorrectionRequested(Application a, DateTimeOffset at) =>
        new(a.Id, a.Number, a.MatterCode, a.Bundle, a.Uscc, a.Parent, a.Name) { OccurredAt = at };

    private static ApplicationResubmittedIntegrationEvent Resubmitted(Application a, DateTimeOffset at) =>
        new(a.Id, a.Number, a.MatterCode, a.Bundle, a.Uscc, a.Parent, a.Name) { OccurredAt = at };

    private static ApplicationCompletedIntegrationEvent Completed(Application a, DateTimeOffset at, string outcome) =>
        new(a.Id, a.Number, a.MatterCode, a.Bundle, a.Uscc, a.Parent, a.Name, outcome) { OccurredAt = at };

    private async Task PublishAsync(params IntegrationEvent[] events)
    {
        // Any service's bus publishes onto the platform's broker, one event after the other, as the cases service would.
        var bus = platform.Host.Application("catalog").Services.GetRequiredService<IEventBus>();
        foreach (var evt in events)
        {
            await bus.PublishAsync(evt);
        }
    }

    // The enterprises service's inbox records each event the applications view has had its effect for.
    private async Task HandledAsync(IEnumerable<IntegrationEvent> events)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var id in events.Select(e => e.Id.ToString()))
        {
            while (true)
            {
                await using var scope = platform.Host.Application("enterprises").Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EnterprisesDbContext>();
                var handled = await db.Database.SqlQuery<int>(
                    $"SELECT COUNT(*) AS \"Value\" FROM eventbus_inbox WHERE event_id = {id} AND consumer LIKE {"%" + nameof(ApplicationTrackingHandlers)}")
                    .SingleAsync();
                if (handled > 0)
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"Event {id} was not handled in time.");
                await Task.Delay(100);
            }
        }
    }

    private async Task<string> RegisterAsync(string name)
    {
        var first17 = "91310117MA" + string.Concat(Enumerable.Range(0, 7).Select(_ => "0123456789ABCDEFGHJKLMNPQRTUWXY"[Random.Shared.Next(31)]));
        var uscc = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/enterprises")
        {
            Content = JsonContent.Create(new
            {
                uscc, name, legalRepresentative = "钱进", registeredAddress = "上海市松江区车墩镇车亭公路100号", location = "chedun",
                industryCode = "G5434", registeredCapital = 300, foundedOn = "2024-05-20", employees = 12, annualRevenue = 900, rdSpending = 0,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("scj-approver"));
        using var registered = await platform.Gateway.SendAsync(request);
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return uscc;
    }

    private async Task ManageAsync(string uscc, string user = Manager)
    {
        var manager = await platform.UserTokenAsync(user);
        using var about = await platform.GetAsync("/api/enterprises/about", manager);
        var managerId = (await PlatformFixture.JsonOf(about)).GetProperty("caller").GetProperty("subject").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/enterprises/{uscc}/account-manager")
        {
            Content = JsonContent.Create(new { userId = managerId, name = user, department = "platform" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var assigned = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string user, string query) =>
        await platform.GetAsync($"/api/enterprises/managed/applications{query}", await platform.UserTokenAsync(user));

    private async Task<JsonElement> ListAsync(string user, string query)
    {
        using var response = await SendAsync(user, query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> ListEventuallyAsync(string user, string query, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement last;
        do
        {
            last = await ListAsync(user, query);
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"The list did not reach the expected state in time; last seen: {last}");
        return default;
    }

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static JsonElement? Find(JsonElement page, string number) =>
        Items(page).Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("number").GetString() == number);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains(detailContains, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
