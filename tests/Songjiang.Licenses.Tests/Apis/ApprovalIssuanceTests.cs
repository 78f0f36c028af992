using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.EventBus;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.EventHandling;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.SharedKernel;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Apis;

/// <summary>
/// The cases service's approvals (v2), published on the platform's bus, issue the licences the catalog declares for
/// their matters, to the holder the approval names or to the enterprise the register mints on an establishment.
/// </summary>
public sealed class ApprovalIssuanceTests(LicensesFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_approved_establishment_issues_a_business_licence_to_the_code_the_register_mints_and_it_verifies()
    {
        var approvedAt = DateTimeOffset.UtcNow;
        var form = new
        {
            companyName = "上海松江星河数智有限公司", legalRepresentative = "周立", registeredAddress = "上海市松江区洞泾镇长兴东路88号",
            registeredCapital = 500, businessScope = "软件开发；信息技术咨询服务。", industryCode = "I6513", location = "dongjing",
        };
        var approval = await CasesApproval.OfAsync(platform, "SJ-SCJ-001", null, "周立", form, approvedAt);

        await PublishAsync(approval);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);

        Assert.Equal("business-licence", licence.TypeCode);
        Assert.True(UnifiedSocialCreditCode.TryParse(licence.HolderUscc, out _, out var error), error);
        Assert.StartsWith("91310117MA", licence.HolderUscc, StringComparison.Ordinal);
        Assert.Equal("上海松江星河数智有限公司", licence.HolderName);
        Assert.Equal(ApplicationApprovedHandler.IssuedBy, licence.IssuedBy);
        using var registered = await platform.SendAsync(HttpMethod.Get, $"/api/enterprises/{licence.HolderUscc}", "scj-clerk");
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("上海松江星河数智有限公司", (await PlatformFixture.JsonOf(registered)).GetProperty("name").GetString());
        var sealedLicence = JsonDocument.Parse(licence.Payload).RootElement;
        var fields = sealedLicence.GetProperty("fields");
        var approvedOn = ChinaDate(approvedAt);
        Assert.Equal("周立", fields.GetProperty("legalRepresentative").GetString());
        Assert.Equal("有限责任公司", fields.GetProperty("entityType").GetString());
        Assert.Equal(500m, fields.GetProperty("registeredCapitalTenThousandYuan").GetDecimal());
        Assert.Equal(approvedOn, fields.GetProperty("establishedOn").GetString());
        Assert.Equal("上海市松江区洞泾镇长兴东路88号", fields.GetProperty("address").GetString());
        Assert.Equal("软件开发；信息技术咨询服务。", fields.GetProperty("businessScope").GetString());
        Assert.Equal(approval.ApplicationNumber, sealedLicence.GetProperty("applicationId").GetString());
        Assert.Equal(approvedOn, sealedLicence.GetProperty("validFrom").GetString());
        Assert.Equal(JsonValueKind.Null, sealedLicence.GetProperty("validUntil").ValueKind);

        using var verified = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{licence.Number}", null);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(verified)));
        var offline = await platform.VerifyDocumentAsync(await platform.DocumentAsync(licence.Number));
        Assert.Equal("valid", LicensesFixture.OutcomeOf(offline));
    }

    [Fact]
    public async Task Two_establishments_approved_together_get_two_distinct_valid_codes()
    {
        var first = await CasesApproval.OfAsync(platform, "SJ-SCJ-001", null, "王一", Establishment("上海松江甲一科技有限公司"));
        var second = await CasesApproval.OfAsync(platform, "SJ-SCJ-001", null, "王二", Establishment("上海松江乙二科技有限公司"));

        await Task.WhenAll(PublishAsync(first), PublishAsync(second));
        var one = await LicenceOfAsync(first.ApplicationNumber);
        var two = await LicenceOfAsync(second.ApplicationNumber);

        Assert.NotEqual(one.HolderUscc, two.HolderUscc);
        Assert.True(UnifiedSocialCreditCode.TryParse(one.HolderUscc, out _, out _));
        Assert.True(UnifiedSocialCreditCode.TryParse(two.HolderUscc, out _, out _));
    }

    [Fact]
    public async Task A_food_licence_takes_the_legal_representative_from_the_register_and_only_its_holder_sees_it()
    {
        var approval = await CasesApproval.OfAsync(platform, "SJ-SCJ-004", LicensesFixture.Zhisuan, "上海松江智算科技有限公司",
            new { uscc = LicensesFixture.Zhisuan, premisesAddress = "上海市松江区广富林路4855弄3号楼1层", businessItems = new[] { "预包装食品销售", "热食类食品制售" } });

        await PublishAsync(approval);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);

        var fields = JsonDocument.Parse(licence.Payload).RootElement.GetProperty("fields");
        Assert.Equal("food-business-licence", licence.TypeCode);
        Assert.Equal("张敏", fields.GetProperty("legalRepresentative").GetString());    // the enterprise register's
        Assert.Equal("上海市松江区广富林路4855弄3号楼1层", fields.GetProperty("premises").GetString());
        Assert.Equal("餐饮服务经营者", fields.GetProperty("mainBusiness").GetString());  // it makes hot food
        Assert.Equal("预包装食品销售、热食类食品制售", fields.GetProperty("businessItems").GetString());

        using var own = await platform.SendAsync(HttpMethod.Get, "/api/licenses?type=food-business-licence&pageSize=100", "ent-zhisuan");
        Assert.Contains((await PlatformFixture.JsonOf(own)).GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == licence.Number);
        using var ownDetail = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{licence.Number}", "ent-zhisuan");
        Assert.Equal(HttpStatusCode.OK, ownDetail.StatusCode);
        using var other = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{licence.Number}", "ent-g60bio");
        using var othersList = await platform.SendAsync(HttpMethod.Get, "/api/licenses?type=food-business-licence&pageSize=100", "ent-g60bio");
        await IssuanceTests.AssertProblem(other, HttpStatusCode.NotFound, null);
        Assert.DoesNotContain((await PlatformFixture.JsonOf(othersList)).GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == licence.Number);
    }

    [Fact]
    public async Task An_approval_delivered_twice_or_approved_again_issues_one_licence()
    {
        var approval = await CasesApproval.OfAsync(platform, "SJ-RS-004", LicensesFixture.G60Bio, "上海G60生物医药有限公司",
            new { uscc = LicensesFixture.G60Bio, serviceItems = new[] { "职业中介", "人才测评" }, qualifiedStaff = 6 });

        var again = approval with { Id = Guid.CreateVersion7() };

        await PublishAsync(approval);
        await PublishAsync(approval);   // a redelivery: the same event id
        await PublishAsync(again);      // the same approval announced again
        await WaitUntilHandledAsync(approval.Id);
        await WaitUntilHandledAsync(again.Id);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);
        await Task.Delay(500); // give any further delivery the chance to add a second licence

        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
        Assert.Equal(1, await db.Licences.CountAsync(l => l.ApplicationId == approval.ApplicationNumber));
        var fields = JsonDocument.Parse(licence.Payload).RootElement.GetProperty("fields");
        Assert.Equal("李华", fields.GetProperty("legalRepresentative").GetString());
        Assert.Equal("上海市松江区新桥镇莘砖公路518号", fields.GetProperty("premises").GetString());
        Assert.Equal("职业中介、人才测评", fields.GetProperty("serviceScope").GetString());
    }

    [Fact]
    public async Task An_approved_matter_whose_outcome_declares_no_licence_issues_none()
    {
        var approval = await CasesApproval.OfAsync(platform, "SJ-SCJ-002", LicensesFixture.Zhisuan, "上海松江智算科技有限公司",
            new { uscc = LicensesFixture.Zhisuan, changes = new { registeredCapital = 3000 } });
        Assert.Null(approval.Licence);

        await PublishAsync(approval);
        await WaitUntilHandledAsync(approval.Id);

        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
        Assert.False(await db.Licences.AnyAsync(l => l.ApplicationId == approval.ApplicationNumber));
    }

    [Fact]
    public async Task An_approval_lacking_a_required_licence_field_is_dead_lettered_with_the_reason()
    {
        // 公共场所卫生许可 without the area the licence requires (the form requires it today; an older form did not).
        var approval = await CasesApproval.OfAsync(platform, "SJ-WJ-001", LicensesFixture.Zhisuan, "上海松江智算科技有限公司",
            new { uscc = LicensesFixture.Zhisuan, premisesAddress = "上海市松江区广富林路4855弄1号", premisesType = "美容美发场所" });

        await PublishAsync(approval);

        var deadline = DateTime.UtcNow + Patience;
        JsonElement? letter = null;
        while (letter is null && DateTime.UtcNow < deadline)
        {
            using var response = await platform.SendAsync(HttpMethod.Get, "/api/licenses/admin/dead-letters?limit=500", "admin");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            letter = (await PlatformFixture.JsonOf(response)).EnumerateArray()
                .Cast<JsonElement?>().FirstOrDefault(d => d!.Value.GetProperty("messageId").GetString() == approval.Id.ToString());
            await Task.Delay(100);
        }
        Assert.NotNull(letter);
        var reason = letter.Value.GetProperty("reason").GetString()!;
        Assert.Contains(approval.ApplicationNumber, reason, StringComparison.Ordinal);
        Assert.Contains("areaSquareMetres", reason, StringComparison.Ordinal);
        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<LicensesDbContext>().Licences.AnyAsync(l => l.ApplicationId == approval.ApplicationNumber));
    }

    [Fact]
    public async Task Every_licence_the_catalog_declares_names_a_known_type_and_covers_its_required_fields()
    {
        using var list = await platform.SendAsync(HttpMethod.Get, "/api/catalog/matters/?pageSize=100", null);
        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var types = await scope.ServiceProvider.GetRequiredService<LicensesDbContext>().LicenceTypes.AsNoTracking().ToListAsync();
        var declared = new List<string>();
        foreach (var item in (await PlatformFixture.JsonOf(list)).GetProperty("items").EnumerateArray())
        {
            var code = item.GetProperty("code").GetString()!;
            using var response = await platform.SendAsync(HttpMethod.Get, $"/api/catalog/matters/{code}", null);
            var matter = await PlatformFixture.JsonOf(response);
            if (!matter.TryGetProperty("outcome", out var outcome) || outcome.ValueKind != JsonValueKind.Object
                || !outcome.TryGetProperty("licence", out var licence) || licence.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var typeCode = licence.GetProperty("type").GetString();
            var type = types.FirstOrDefault(t => t.Code == typeCode);
            Assert.True(type is not null, $"{code} declares licence type '{typeCode}', which the licence catalogue lacks.");
            var mapped = licence.GetProperty("fields").EnumerateObject().Select(f => f.Name).ToHashSet();
            Assert.All(mapped, f => Assert.True(type.Fields.Any(d => d.Name == f), $"{code}: a {typeCode} has no field '{f}'."));
            Assert.All(type.Fields.Where(f => f.Required), f => Assert.True(mapped.Contains(f.Name), $"{code}: the required '{f.Name}' of a {typeCode} has no source."));
            declared.Add($"{code}→{typeCode}");
        }
        // The G60 matters other cities approve declare the licence that city issues (the same catalogue of types).
        Assert.Equal(["G60-JX-001→hr-service-licence", "G60-SZ-001→hr-service-licence", "SJ-GZ-001→construction-planning-permit", "SJ-RS-004→hr-service-licence", "SJ-SCJ-001→business-licence",
            "SJ-SCJ-004→food-business-licence", "SJ-WJ-001→public-place-hygiene-licence"], declared.Order(StringComparer.Ordinal));
    }

    private static object Establishment(string name) => new
    {
        companyName = name, legalRepresentative = "王立", registeredAddress = "上海市松江区中山街道中山东路1号", registeredCapital = 100,
        businessScope = "技术服务。", industryCode = "I65", location = "zhongshan",
    };

    private Task PublishAsync(IntegrationEvent evt) =>
        // Any service's bus publishes onto the platform's broker, as the cases service's would.
        platform.Host.Application("catalog").Services.GetRequiredService<IEventBus>().PublishAsync(evt);

    private async Task<Licence> LicenceOfAsync(string applicationNumber)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
            var licence = await scope.ServiceProvider.GetRequiredService<LicensesDbContext>().Licences.AsNoTracking()
                .SingleOrDefaultAsync(l => l.ApplicationId == applicationNumber);
            if (licence is not null)
            {
                return licence;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No licence was issued for application {applicationNumber} in time.");
            await Task.Delay(100);
        }
    }

    // The licences service's inbox records every event its approval handler has had its effect for.
    private async Task WaitUntilHandledAsync(Guid eventId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
            var id = eventId.ToString();
            var handled = await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM eventbus_inbox WHERE event_id = {id}").SingleAsync();
            if (handled > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Event {eventId} was not handled in time.");
            await Task.Delay(100);
        }
    }

    private static string ChinaDate(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
